target_sources(lqer_core PRIVATE
  job/pipeline.cpp job/pipeline.h
)
