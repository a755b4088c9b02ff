target_sources(lqer_core PRIVATE
  io/safetensors.cpp io/safetensors.h
  io/checkpoint.cpp io/checkpoint.h
)
