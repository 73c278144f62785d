#include "core/durable_file.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace countersign {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every entry of `dir`, hidden ones included.
int CountEntries(const std::string& dir) {
  int n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

class DurableFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "durable_file_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string dir_;
};

TEST_F(DurableFileTest, AppearsUnderItsNameOnlyWhenPublished) {
  const std::string target = dir_ + "/hello.txt";
  {
    StatusOr<DurableFile> file = DurableFile::Create(dir_);
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    ASSERT_TRUE(file->Write("hello ").ok());
    ASSERT_TRUE(file->Write("world").ok());
    EXPECT_FALSE(fs::exists(target));
    ASSERT_TRUE(file->Publish(target).ok());
    EXPECT_EQ(ReadAll(target), "hello world");
    EXPECT_TRUE(SyncFolder(dir_).ok());
  }
  struct stat st;
  ASSERT_EQ(stat(target.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(CountEntries(dir_), 1);  // only the published file, once the object is gone too
}

TEST_F(DurableFileTest, AnUnpublishedFileLeavesNothingBehind) {
  {
    StatusOr<DurableFile> file = DurableFile::Create(dir_);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE(file->Write(std::string(100000, 'x')).ok());
  }
  EXPECT_EQ(CountEntries(dir_), 0);
}

TEST_F(DurableFileTest, MissingTargetFolderIsNotFoundAndCanBeRetried) {
  StatusOr<DurableFile> file = DurableFile::Create(dir_);
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file->Write("late folder").ok());
  const std::string target = dir_ + "/sub/file";
  EXPECT_EQ(file->Publish(target).code(), Code::kNotFound);
  ASSERT_TRUE(fs::create_directory(dir_ + "/sub"));
  ASSERT_TRUE(file->Publish(target).ok());
  EXPECT_EQ(ReadAll(target), "late folder");
}

TEST_F(DurableFileTest, PublishingANameThatExistsSucceeds) {
  const std::string target = dir_ + "/same";
  for (int i = 0; i < 2; ++i) {
    StatusOr<DurableFile> file = DurableFile::Create(dir_);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE(file->Write("same bytes").ok());
    ASSERT_TRUE(file->Publish(target).ok());
  }
  EXPECT_EQ(ReadAll(target), "same bytes");
  EXPECT_EQ(CountEntries(dir_), 1);
}

TEST_F(DurableFileTest, MissingFolderCannotBeCreatedOrSynced) {
  EXPECT_EQ(DurableFile::Create(dir_ + "/missing").status().code(), Code::kInternal);
  EXPECT_EQ(SyncFolder(dir_ + "/missing").code(), Code::kInternal);
}

}  // namespace
}  // namespace countersign
