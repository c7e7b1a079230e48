// The stage cutter's own tests: what each marker does, and the clear errors for misuse.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "StageCutter.h"

namespace course {
namespace {

namespace fs = std::filesystem;

std::string cut(const std::string& text, int chapter, std::optional<int> owner = std::nullopt) {
    const auto result = cutText(text, chapter, "src/kafka/Example.cpp", CommentStyle::kSlashes,
                                owner, /*requireFileMarker=*/owner == std::nullopt);
    return result.present ? result.text : "<absent>";
}

// The error's text, or "" when there was none.
std::string errorOf(const std::string& text, int chapter, std::optional<int> owner = std::nullopt) {
    try {
        cut(text, chapter, owner);
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

TEST(StageCutter, FileArrivesInItsChapter) {
    const std::string file = "//@ ch06\nint murmur2();\n";
    EXPECT_EQ(cut(file, 5), "<absent>");
    EXPECT_EQ(cut(file, 6), "int murmur2();\n");
    EXPECT_EQ(cut(file, 30), "int murmur2();\n");
}

TEST(StageCutter, BlockArrivesInItsChapterAndMarkersDisappear) {
    const std::string file =
        "//@ ch02\n"
        "a\n"
        "    //> ch04 send\n"
        "    b\n"
        "    //< ch04 send\n"
        "c\n";
    EXPECT_EQ(cut(file, 3), "a\nc\n");
    EXPECT_EQ(cut(file, 4), "a\n    b\nc\n");
}

TEST(StageCutter, ABlockCutFromBetweenTwoBlankLinesLeavesOne) {
    const std::string file =
        "//@ ch02\n"
        "a\n"
        "\n"
        "//> ch04\n"
        "b\n"
        "//< ch04\n"
        "\n"
        "c\n"
        "\n"
        "\n"
        "d\n";
    EXPECT_EQ(cut(file, 3), "a\n\nc\n\n\nd\n") << "only blank lines the cut made are folded";
    EXPECT_EQ(cut(file, 4), "a\n\nb\n\nc\n\n\nd\n");
}

TEST(StageCutter, NestedBlocksNeedEveryEnclosingChapter) {
    const std::string file =
        "//@ ch01\n"
        "//> ch03\n"
        "x\n"
        "//> ch05\n"
        "y\n"
        "//< ch05\n"
        "//< ch03\n";
    EXPECT_EQ(cut(file, 2), "");
    EXPECT_EQ(cut(file, 3), "x\n");
    EXPECT_EQ(cut(file, 5), "x\ny\n");
}

TEST(StageCutter, RetiredBlockLivesFromItsChapterUntilItLeaves) {
    const std::string file =
        "//@ ch01\n"
        "/*> ch04-06 simple-partition\n"
        "return 0;\n"
        "*/\n"
        "//> ch06\n"
        "return partitioner.partition();\n"
        "//< ch06\n";
    EXPECT_EQ(cut(file, 3), "");
    EXPECT_EQ(cut(file, 4), "return 0;\n");
    EXPECT_EQ(cut(file, 5), "return 0;\n");
    EXPECT_EQ(cut(file, 6), "return partitioner.partition();\n");
}

TEST(StageCutter, ABlockLeftOpenIsAnErrorNamingFileAndLine) {
    const auto error = errorOf("//@ ch01\nx\n//> ch03 open\ny\n", 5);
    EXPECT_NE(error.find("src/kafka/Example.cpp:3:"), std::string::npos) << error;
    EXPECT_NE(error.find("never closed"), std::string::npos) << error;
}

TEST(StageCutter, AMismatchedCloseNamesTheOpenBlock) {
    const auto error = errorOf("//@ ch01\n//> ch03 a\n//< ch04 a\n", 5);
    EXPECT_NE(error.find("Example.cpp:3:"), std::string::npos) << error;
    EXPECT_NE(error.find("opened at line 2"), std::string::npos) << error;
}

TEST(StageCutter, ACloseWithoutOpenIsAnError) {
    const auto error = errorOf("//@ ch01\nx\n//< ch03\n", 5);
    EXPECT_NE(error.find("Example.cpp:3: '//< ch03' closes no open block"), std::string::npos)
        << error;
}

TEST(StageCutter, AnUnknownChapterIsAnError) {
    const std::string beyond = std::to_string(kLastChapter + 1);
    const auto error = errorOf("//@ ch01\n//> ch" + beyond + "\nx\n//< ch" + beyond + "\n", 5);
    EXPECT_NE(error.find("Example.cpp:2: unknown chapter " + beyond), std::string::npos) << error;
    EXPECT_NE(errorOf("//@ ch00\n", 5).find("Example.cpp:1: unknown chapter 0"), std::string::npos);
    EXPECT_NE(errorOf("//@ chapter6\n", 5).find("Example.cpp:1:"), std::string::npos);
    EXPECT_THROW(cut("//@ ch01\n", kLastChapter + 1), std::invalid_argument);
}

TEST(StageCutter, ABlockEarlierThanItsSurroundingsIsAnError) {
    const auto error = errorOf("//@ ch06\n//> ch03\nx\n//< ch03\n", 6);
    EXPECT_NE(error.find("Example.cpp:2: block of chapter 3 inside code of chapter 6"),
              std::string::npos)
        << error;
}

TEST(StageCutter, ASourceFileWithoutFileMarkerIsAnError) {
    const auto error = errorOf("int x;\n", 5);
    EXPECT_NE(error.find("Example.cpp:1: no file marker"), std::string::npos) << error;
}

TEST(StageCutter, AChapterTestFileMayCarryOnlyItsOwnChapter) {
    // Chapter 6's tests cannot smuggle in chapter 7 code: stage 6 runs all of them.
    const auto error = errorOf("TEST(A, B) {}\n//> ch07\nx\n//< ch07\n", 6, 6);
    EXPECT_NE(error.find("Example.cpp:2: this file belongs to chapter 6 and cannot carry a "
                         "marker of chapter 7"),
              std::string::npos)
        << error;
    EXPECT_EQ(cut("TEST(A, B) {}\n//> ch06 excerpt\nx\n//< ch06 excerpt\n", 6, 6),
              "TEST(A, B) {}\nx\n");
}

TEST(StageCutter, RangesBelongOnlyToRetiredBlocks) {
    EXPECT_NE(errorOf("//@ ch01\n//> ch03-05\nx\n//< ch03-05\n", 5).find("retired comment block"),
              std::string::npos);
    EXPECT_NE(errorOf("//@ ch01\n/*> ch03\nx\n*/\n", 5).find("must say when it leaves"),
              std::string::npos);
    EXPECT_NE(errorOf("//@ ch01\n/*> ch05-03\nx\n*/\n", 5).find("not after it arrives"),
              std::string::npos);
}

TEST(StageCutter, HashCommentFilesUseHashMarkers) {
    const auto result = cutText("#@ ch06\nprint(1)\n#> ch07\nprint(2)\n#< ch07\n", 6, "tests/x.py",
                                CommentStyle::kHash, std::nullopt, true);
    ASSERT_TRUE(result.present);
    EXPECT_EQ(result.text, "print(1)\n");
}

TEST(StageCutter, ExcerptShowsTheNamedBlockFlushLeftWithoutMarkers) {
    const std::string file =
        "//@ ch01\n"
        "void f() {\n"
        "    //> ch01 body\n"
        "    int a = 1;\n"
        "    //> ch03\n"
        "    int b = 2;\n"
        "    //< ch03\n"
        "    //< ch01 body\n"
        "}\n";
    EXPECT_EQ(excerpt(file, "body", "f.cpp", CommentStyle::kSlashes), "int a = 1;\nint b = 2;\n");
    // A chapter's README shows the code as that chapter's reader knows it.
    EXPECT_EQ(excerpt(file, "body", "f.cpp", CommentStyle::kSlashes, 2), "int a = 1;\n");
    EXPECT_THROW(excerpt(file, "missing", "f.cpp", CommentStyle::kSlashes), std::runtime_error);
}

TEST(StageCutter, ExcerptOfARetiredBlockShowsWhileItLives) {
    const std::string file =
        "//@ ch01\n"
        "/*> ch04-06 simple\n"
        "return 0;\n"
        "*/\n";
    EXPECT_EQ(excerpt(file, "simple", "f.cpp", CommentStyle::kSlashes, 4), "return 0;\n");
    EXPECT_EQ(excerpt(file, "simple", "f.cpp", CommentStyle::kSlashes, 6), "");
}

TEST(StageCutter, ChapterFoldersAreRecognised) {
    EXPECT_EQ(chapterOfFolder("06-partition-selection"), 6);
    EXPECT_EQ(chapterOfFolder("30-request-queue"), 30);
    EXPECT_EQ(chapterOfFolder(std::to_string(kLastChapter + 1) + "-nothing"), std::nullopt);
    EXPECT_EQ(chapterOfFolder("notes"), std::nullopt);
}

// The real course tree: stages differ the way the chapters say they do.
TEST(StageCutterOnTheCourse, StagesReallyDiffer) {
    const fs::path root = COURSE_SOURCE_DIR;
    const auto stage3 = cutTree(root, 3);
    const auto stage6 = cutTree(root, 6);
    const std::string partitioner = "src/kafka/clients/producer/internals/DefaultPartitioner.h";
    EXPECT_FALSE(stage3.files.contains(partitioner)) << "stage 3 must not have a partitioner";
    EXPECT_TRUE(stage6.files.contains(partitioner)) << "stage 6 adds the partitioner";
    const std::string partitionerTest = "chapters/06-partition-selection/PartitionerTest.cpp";
    EXPECT_FALSE(stage3.files.contains(partitionerTest))
        << "stage 3 must not run chapter 6's tests";
    EXPECT_TRUE(stage6.files.contains(partitionerTest));
    EXPECT_TRUE(stage3.files.contains("src/kafka/clients/Metadata.h"));
    EXPECT_FALSE(cutTree(root, 2).files.contains("src/kafka/clients/Metadata.h"));
    EXPECT_NE(stage3.digest(), stage6.digest());
    // No marker survives a cut.
    for (const auto& [path, text] : stage6.files)
        EXPECT_EQ(text.find("//> ch"), std::string::npos) << path;
}

TEST(StageCutterOnTheCourse, WritingATreeKeepsUnchangedFilesAndRemovesStaleOnes) {
    const fs::path out = fs::temp_directory_path() / "course-cut-test-tree";
    fs::remove_all(out);
    TreeCut first;
    first.files = {{"src/a.cpp", "int a;\n"}, {"src/b.cpp", "int b;\n"}};
    writeTree(first, out);
    const auto stamp = fs::last_write_time(out / "src/a.cpp");
    // What is not the course's own (a lab's build, a learner's notes) is left alone.
    fs::create_directories(out / "build");
    std::ofstream(out / "build/cache") << "x";
    std::ofstream(out / "notes.md") << "x";
    TreeCut second;
    second.files = {{"src/a.cpp", "int a;\n"}};
    writeTree(second, out);
    EXPECT_EQ(fs::last_write_time(out / "src/a.cpp"), stamp);
    EXPECT_FALSE(fs::exists(out / "src/b.cpp"));
    EXPECT_TRUE(fs::exists(out / "build/cache"));
    EXPECT_TRUE(fs::exists(out / "notes.md"));
    fs::remove_all(out);
}

std::string labCut(const std::string& text, int chapter, int lab) {
    const auto result = cutText(text, chapter, "src/kafka/Example.cpp", CommentStyle::kSlashes,
                                std::nullopt, true, lab);
    return result.present ? result.text : "<absent>";
}

const std::string kFileWithAHole =
    "//@ ch14\n"
    "int read() {\n"
    "    //?> ch18\n"
    "    return careful();\n"
    "    //?< ch18\n"
    "    /*? ch18\n"
    "    return naive();  // Lab 18: make it careful\n"
    "    */\n"
    "}\n";

TEST(StageCutter, EveryStageKeepsAHoleAndLeavesOutItsStarter) {
    for (int chapter : {14, 17, 18, 30})
        EXPECT_EQ(cut(kFileWithAHole, chapter), "int read() {\n    return careful();\n}\n")
            << "stage " << chapter;
}

TEST(StageCutter, OnlyTheHolesLabSwapsTheCodeForTheStarter) {
    EXPECT_EQ(labCut(kFileWithAHole, 17, 18),
              "int read() {\n    return naive();  // Lab 18: make it careful\n}\n");
    EXPECT_EQ(labCut(kFileWithAHole, 18, 19), "int read() {\n    return careful();\n}\n");
    EXPECT_EQ(labCut(kFileWithAHole, 12, 13), "<absent>");
}

// A named block whose careful line chapter 18's lab swaps for a naive one.
const std::string kExcerptWithAHole =
    "//@ ch14\n"
    "//> ch14 read\n"
    "int read() {\n"
    "    //?> ch18\n"
    "    return careful();\n"
    "    //?< ch18\n"
    "    /*? ch18\n"
    "    return naive();\n"
    "    */\n"
    "}\n"
    "//< ch14 read\n";

TEST(StageCutter, ExcerptsNeverShowLabStarters) {
    const std::string& file = kExcerptWithAHole;
    const std::string expected = "int read() {\n    return careful();\n}\n";
    EXPECT_EQ(excerpt(file, "read", "F.cpp", CommentStyle::kSlashes), expected);
    EXPECT_EQ(excerpt(file, "read", "F.cpp", CommentStyle::kSlashes, 18), expected);
}

TEST(StageCutter, AnExcerptCanShowTheBlockAsTheChaptersLabHandsItOut) {
    // The naive code a chapter starts from: its starter in, its hole out, later labs' not.
    const std::string& file = kExcerptWithAHole;
    EXPECT_EQ(excerpt(file, "read", "F.cpp", CommentStyle::kSlashes, 17, 18),
              "int read() {\n    return naive();\n}\n");
    EXPECT_EQ(excerpt(file, "read", "F.cpp", CommentStyle::kSlashes, 18, 19),
              "int read() {\n    return careful();\n}\n");
}

TEST(StageCutterOnAFixture, AnExcerptAppearsOnceInTheBook) {
    const fs::path root = fs::temp_directory_path() / "course-cut-test-excerpts";
    fs::remove_all(root);
    fs::create_directories(root / "src");
    fs::create_directories(root / "chapters/18-first");
    fs::create_directories(root / "chapters/19-second");
    std::ofstream(root / "src/F.cpp") << kExcerptWithAHole;
    // The block, and the block as chapter 18's lab starts it, are two excerpts.
    std::ofstream(root / "chapters/18-first/README.md")
        << "<!-- excerpt: src/F.cpp read lab -->\n\n<!-- excerpt: src/F.cpp read -->\n";
    std::ofstream(root / "chapters/19-second/README.md") << "# Chapter 19\n";
    EXPECT_EQ(syncExcerpts(root, false), std::vector<std::string>{"chapters/18-first/README.md"});
    const auto shown = readFile(root / "chapters/18-first/README.md");
    EXPECT_NE(shown.find("```cpp\nint read() {\n    return naive();\n}\n```"), std::string::npos)
        << shown;
    EXPECT_NE(shown.find("```cpp\nint read() {\n    return careful();\n}\n```"), std::string::npos)
        << shown;
    // The same block shown again in a later chapter is refused, naming the first place.
    std::ofstream(root / "chapters/19-second/README.md") << "<!-- excerpt: src/F.cpp read -->\n";
    try {
        syncExcerpts(root, true);
        ADD_FAILURE() << "a reprint was accepted";
    } catch (const MarkerError& e) {
        EXPECT_NE(std::string(e.what()).find("chapters/18-first/README.md:8"), std::string::npos)
            << e.what();
    }
    fs::remove_all(root);
}

TEST(StageCutter, LabMarkersAreCheckedLikeTheOthers) {
    EXPECT_NE(errorOf("//@ ch14\n//?> ch18\nx\n", 30).find("is never closed"), std::string::npos);
    EXPECT_NE(errorOf("//@ ch14\n//?> ch18\nx\n//< ch18\n", 30).find("does not close"),
              std::string::npos)
        << "a hole closes with //?<, not //<";
    EXPECT_NE(errorOf("//@ ch14\n//?> ch18-20\nx\n//?< ch18-20\n", 30).find("lab block"),
              std::string::npos);
    EXPECT_NE(errorOf("//@ ch14\n/*? ch18\n//> ch18\n*/\n", 30).find("cannot hold markers"),
              std::string::npos);
    // A block inside a hole is measured against the code around the hole, not the hole.
    EXPECT_EQ(cut("//@ ch14\n//?> ch18\n//> ch15\nx\n//< ch15\n//?< ch18\n", 15), "x\n");
}

TEST(StageCutterOnTheCourse, ALabIsThePreviousCodeWithTheChaptersTests) {
    const fs::path root = COURSE_SOURCE_DIR;
    const auto lab = cutLab(root, 6);
    const std::string partitioner = "src/kafka/clients/producer/internals/DefaultPartitioner.h";
    EXPECT_FALSE(lab.files.contains(partitioner)) << "the partitioner is the learner's to write";
    EXPECT_TRUE(lab.files.contains("chapters/06-partition-selection/PartitionerTest.cpp"));
    for (const auto& [path, text] : cutTree(root, 5).files) {
        if (!path.starts_with("src/")) continue;
        EXPECT_EQ(lab.files.at(path), text) << path;
    }
    EXPECT_TRUE(cutLab(root, 1).files.contains("chapters/01-core-flow/ProducerRecordTest.cpp"));
    for (const auto& [path, text] : cutLab(root, 1).files)
        EXPECT_FALSE(path.starts_with("src/")) << "chapter 1's lab starts from nothing: " << path;
}

TEST(StageCutterOnTheCourse, EveryLabLeavesWorkAndItsTasksNameIt) {
    const fs::path root = COURSE_SOURCE_DIR;
    for (int chapter = kFirstChapter; chapter <= kLastChapter; ++chapter) {
        const auto lab = cutLab(root, chapter);
        const auto stage = cutTree(root, chapter);
        EXPECT_NE(lab.digest(), stage.digest()) << "lab " << chapter << " has nothing to write";
        const std::string tasks = labTasks(root, chapter);
        EXPECT_NE(tasks.find("## The code to write"), std::string::npos);
        const bool namesCode = tasks.find("New files:") != std::string::npos ||
                               tasks.find("lines to write") != std::string::npos;
        EXPECT_TRUE(namesCode) << "lab " << chapter << " names no file:\n" << tasks;
        EXPECT_NE(tasks.find("## The tests to make pass\n\n- `ch"), std::string::npos)
            << "lab " << chapter << " names no test:\n"
            << tasks;
    }
}

// A chapter's whole change (./course diff N, and the book's "whole change" of each chapter).

TEST(StageDiff, AFixtureTreeShowsTheChaptersBlockAndNothingElse) {
    const fs::path root = fs::temp_directory_path() / "course-cut-test-diff";
    fs::remove_all(root);
    fs::create_directories(root / "src/kafka");
    fs::create_directories(root / "chapters/02-second");
    std::ofstream(root / "src/kafka/Sender.cpp") << "//@ ch01\n"
                                                    "void run() {\n"
                                                    "    one();\n"
                                                    "    two();\n"
                                                    "    three();\n"
                                                    "    four();\n"
                                                    "    //> ch02 poll\n"
                                                    "    poll();\n"
                                                    "    //< ch02 poll\n"
                                                    "    five();\n"
                                                    "    six();\n"
                                                    "    seven();\n"
                                                    "    eight();\n"
                                                    "}\n";
    // Files that chapter 2 does not touch, or that arrive later, are not in its change.
    std::ofstream(root / "src/kafka/Node.h") << "//@ ch01\nstruct Node {};\n";
    std::ofstream(root / "src/kafka/Later.h") << "//@ ch03\nstruct Later {};\n";
    std::ofstream(root / "chapters/02-second/README.md") << "# Chapter 2\n";
    EXPECT_EQ(chapterDiff(root, 2),
              "--- a/src/kafka/Sender.cpp\n"
              "+++ b/src/kafka/Sender.cpp\n"
              "@@ -3,6 +3,7 @@\n"
              "     two();\n"
              "     three();\n"
              "     four();\n"
              "+    poll();\n"
              "     five();\n"
              "     six();\n"
              "     seven();\n");
    // Chapter 1 starts from nothing: its files are added whole, without markers.
    EXPECT_EQ(chapterDiff(root, 1).find("poll"), std::string::npos);
    EXPECT_NE(chapterDiff(root, 1).find("--- /dev/null\n+++ b/src/kafka/Node.h\n@@ -0,0 +1 @@\n"
                                        "+struct Node {};\n"),
              std::string::npos);
    fs::remove_all(root);
}

TEST(StageDiff, DistantChangesAreSeparateHunksAndRemovalsComeFirst) {
    const std::string before = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
    const std::string after = "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\n";
    EXPECT_EQ(unifiedDiff(before, after, "a/x", "b/x", 1),
              "--- a/x\n+++ b/x\n"
              "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
              "@@ -10 +10,2 @@\n j\n+k\n");
    EXPECT_EQ(unifiedDiff(before, before, "a/x", "b/x"), "") << "no change, no diff";
    EXPECT_EQ(unifiedDiff("x\n", "", "a/x", "/dev/null"),
              "--- a/x\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n");
}

TEST(StageDiff, ABinaryFileIsNamedNotShown) {
    TreeCut before;
    TreeCut after;
    after.files = {{"tests/fuzz/seeds/produce", std::string("\0\x01\xff", 3)},
                   {"src/a.h", "int a;\n"}};
    EXPECT_EQ(diffTrees(before, after),
              "--- /dev/null\n+++ b/src/a.h\n@@ -0,0 +1 @@\n+int a;\n"
              "Binary files /dev/null and b/tests/fuzz/seeds/produce differ\n");
    EXPECT_EQ(diffTrees(after, after), "");
}

TEST(StageDiffOnTheCourse, ChapterSixAddsThePartitionerAndShowsNoMarker) {
    const std::string change = chapterDiff(COURSE_SOURCE_DIR, 6);
    EXPECT_NE(change.find("--- /dev/null\n+++ b/src/kafka/clients/producer/internals/"
                          "DefaultPartitioner.h\n"),
              std::string::npos);
    EXPECT_EQ(change.find("+//> ch"), std::string::npos);
    EXPECT_EQ(change.find("+/*> ch"), std::string::npos);
    EXPECT_EQ(change.find("b/chapters/05-"), std::string::npos) << "chapter 5's files are older";
    EXPECT_THROW(chapterDiff(COURSE_SOURCE_DIR, kLastChapter + 1), std::invalid_argument);
}

}  // namespace
}  // namespace course
