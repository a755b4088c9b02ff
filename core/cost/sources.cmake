target_sources(lqer_core PRIVATE
  cost/cost.cpp cost/cost.h
)
