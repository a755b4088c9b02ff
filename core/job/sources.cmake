target_sources(lqer_core PRIVATE
  job/plan.cpp job/plan.h
)
