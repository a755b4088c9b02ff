target_sources(lqer_core PRIVATE
  model/architecture.cpp model/architecture.h
)
