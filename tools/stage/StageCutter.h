// The stage cutter: one source tree, thirty stages.
//
// The final code lives once, in src/. Lines carry chapter markers that say in which chapter
// they arrive (and, rarely, in which chapter they leave). Cutting the tree "as of chapter N"
// keeps exactly the lines a reader of chapter N has seen, and drops the marker lines.
//
// The markers (in C++ files; files that use '#' comments write '#' where C++ writes '//'):
//
//   //@ ch06              the whole file arrives in chapter 6 (required in src/ and tests/)
//   //> ch06 name         a block that arrives in chapter 6 ...
//   //< ch06 name         ... ends here. The name is optional; it also names an excerpt.
//   /*> ch04-09 name      a retired block: present in chapters 4 to 8, gone from chapter 9 on.
//   */                    It is a comment in the final code, so the final code never sees it.
//
// Two more, for the rare chapter whose code arrived earlier (its lab must still have work in it):
//
//   //?> ch18             a hole: chapter 18's lab takes these lines out ...
//   //?< ch18             ... to here. Every stage keeps them.
//   /*? ch18              a starter: a comment in src/ and in every stage; chapter 18's lab
//   */                    has it as code, the naive version the learner starts from.
//
// A block may nest inside another of the same or an earlier chapter. A file under
// chapters/NN-slug/ belongs to chapter NN and may carry only markers of chapter NN.
//
// The cutter in parts, each with its header:
//
//   Markers.h    parsing and checking the markers; which lines a stage or a lab sees
//   Cutting.h    a file or the whole tree as of chapter N; writing a cut tree to a folder
//   Labs.h       chapter N's lab workspace and its TASKS.md
//   Excerpts.h   the named blocks the chapters' READMEs quote
//   StageDiff.h  a chapter's whole change: stage N-1 against stage N, as a unified diff
#pragma once

#include "Cutting.h"
#include "Excerpts.h"
#include "Labs.h"
#include "Markers.h"
#include "StageDiff.h"
