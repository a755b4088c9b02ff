target_sources(lqer_core PRIVATE
  model/config.cpp model/config.h
  model/transformer.cpp model/transformer.h
  model/llama2c.cpp model/llama2c.h
  model/calibration.cpp model/calibration.h
)
