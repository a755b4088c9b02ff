target_sources(lqer_core PRIVATE
  export/packing.cpp export/packing.h
  export/packedformat.cpp export/packedformat.h
  export/exporter.cpp export/exporter.h
  export/packedmodel.cpp export/packedmodel.h
)
