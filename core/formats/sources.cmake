target_sources(lqer_core PRIVATE
  formats/quantformat.cpp formats/quantformat.h
)
