target_sources(lqer_core PRIVATE
  store/schema.cpp store/schema.h
  store/sessionstore.cpp store/sessionstore.h
)
target_sources(lqer_core PRIVATE store/recorder.cpp store/recorder.h)
