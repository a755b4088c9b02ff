target_sources(lqer_core PRIVATE
  model/tokenizer.cpp
  model/tokenizer.h
  model/tokenizer_bpe.cpp
  model/tokenizer_llama2c.cpp
  model/tokenizer_text.cpp
  model/tokenizer_text.h
)
