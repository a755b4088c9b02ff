target_sources(lqer_core PRIVATE
  linalg/svd.cpp linalg/svd.h
)
