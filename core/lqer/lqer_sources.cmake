target_sources(lqer_core PRIVATE
  lqer/lqer.cpp lqer/lqer.h
  lqer/metrics.cpp lqer/metrics.h
)
