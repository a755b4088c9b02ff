target_sources(lqer_core PRIVATE
  store/schema.cpp store/schema.h
  store/sessionstore.cpp store/sessionstore.h
)
