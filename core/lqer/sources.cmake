target_sources(lqer_core PRIVATE
  lqer/method.cpp lqer/method.h
  lqer/stats.h
  lqer/statsfile.cpp lqer/statsfile.h
  lqer/quantizedlinear.h
)
