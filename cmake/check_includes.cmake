# Fails when a source file includes a header of a folder its own folder may not use.
# Usage: cmake -DGRAPH=<build>/include_graph.cmake -DSOURCE_DIR=<source> -P check_includes.cmake
# The allowed edges come from core/CMakeLists.txt (core folders) and the top-level
# CMakeLists.txt (widgets, app/cli, app/studio); GRAPH holds their transitive closure.
cmake_minimum_required(VERSION 3.21)
include("${GRAPH}")

set(violations "")
foreach(unit IN LISTS UNITS)
  file(GLOB files "${SOURCE_DIR}/${unit}/*.h" "${SOURCE_DIR}/${unit}/*.cpp")
  foreach(file IN LISTS files)
    file(STRINGS "${file}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]")
    foreach(line IN LISTS lines)
      set(target "")
      if(line MATCHES "include[ \t]*\"((core/[a-z_]+)|widgets|app/[a-z_]+)/")
        set(target "${CMAKE_MATCH_1}")
      endif()
      if(target AND NOT target STREQUAL unit AND NOT target IN_LIST ALLOWED_${unit})
        file(RELATIVE_PATH rel "${SOURCE_DIR}" "${file}")
        string(STRIP "${line}" line)
        string(APPEND violations "  ${rel}: ${line}  (${unit} may not use ${target})\n")
      endif()
      # The engine and the reusable views never pull in the GUI through the core.
      if(unit MATCHES "^core/" AND line MATCHES "<Qt(Gui|Widgets|PrintSupport|Svg)|<Q(Widget|Painter|Image|Color|Pixmap|Application)>")
        file(RELATIVE_PATH rel "${SOURCE_DIR}" "${file}")
        string(STRIP "${line}" line)
        string(APPEND violations "  ${rel}: ${line}  (core/ is QtCore only)\n")
      endif()
    endforeach()
  endforeach()
endforeach()

if(violations)
  message(FATAL_ERROR "Includes that cross the declared dependency graph:\n${violations}"
                      "Either include something the folder may use or change the graph in core/CMakeLists.txt.")
endif()
list(LENGTH UNITS n)
message(STATUS "include graph: ${n} folders, no forbidden include")
