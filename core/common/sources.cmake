target_sources(lqer_core PRIVATE
  common/expected.h
  common/parallel.h
  common/progress.h
  common/tensor.h
)
