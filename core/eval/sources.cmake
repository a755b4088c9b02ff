target_sources(lqer_core PRIVATE
  eval/perplexity.cpp eval/perplexity.h
  eval/outputerror.cpp eval/outputerror.h
  eval/planeval.cpp eval/planeval.h
)
