target_sources(lqer_core PRIVATE
  common/expected.h
  common/progress.h
  common/tensor.h
)
