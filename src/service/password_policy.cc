#include "service/password_policy.h"

#include <algorithm>
#include <string_view>

#include "service/validation.h"

namespace countersign {
namespace {

// The most common passwords of at least 8 characters in public breach corpora (the shorter
// ones fail the length rule anyway), lower case.
constexpr std::string_view kCommon[] = {
    "12345678",      "123456789",    "1234567890",   "12345678910",  "0123456789",
    "1234567891",    "123123123",    "123123123123", "1111111111",   "0000000000",
    "9876543210",    "987654321",    "1122334455",   "1234512345",   "1q2w3e4r5t",
    "1q2w3e4r5t6y",  "1qaz2wsx3edc", "1qazxsw23edc", "qazwsxedc",    "qazwsxedcrfv",
    "qwertyuiop",    "qwerty123",    "qwerty1234",   "qwerty12345",  "qwertyuiop123",
    "asdfghjkl",     "asdfghjkl123", "zxcvbnm123",   "zaq12wsx",     "password",
    "password1",     "password12",   "password123",  "password1234", "passw0rd",
    "p@ssw0rd",      "p@ssword",     "password!",    "password123!", "passwordpassword",
    "iloveyou",      "iloveyou1",    "iloveyou123",  "letmein123",   "letmeinplease",
    "welcome1",      "welcome123",   "welcome1234",  "sunshine1",    "princess1",
    "football1",     "baseball1",    "superman1",    "starwars1",    "trustno1",
    "abc123456",     "abcd123456",   "abcdefghij",   "abcdefgh",     "abc1234567",
    "a123456789",    "123456789a",   "123456789q",   "q123456789",   "1234567890q",
    "administrator", "admin12345",   "admin123456",  "changeme123",  "changeme",
    "secret123",     "football",     "baseball",     "sunshine",     "princess",
    "whatever",      "computer",     "dragon123",    "monkey123",    "master123",
    "michael1",      "jennifer",     "superman",     "starwars",     "internet",
    "countersign",   "dropboxsign",  "hellosign",    "helloworld",   "hello12345",
};

}  // namespace

Status CheckNewPassword(const std::string& password, const std::string& email, size_t min_length) {
  if (password.size() < min_length) {
    return InvalidArgument(
        "Password must be at least " + std::to_string(min_length) + " characters", "password");
  }
  if (password.size() > 1024) return InvalidArgument("Password is too long", "password");
  const std::string lower = ToLower(password);
  if (std::find(std::begin(kCommon), std::end(kCommon), lower) != std::end(kCommon)) {
    return InvalidArgument(
        "This password is one of the most common passwords: choose a less guessable one",
        "password");
  }
  if (std::all_of(lower.begin(), lower.end(), [&](char c) { return c == lower[0]; })) {
    return InvalidArgument("Password must not be one character repeated", "password");
  }
  const std::string local = ToLower(Trim(email.substr(0, email.find('@'))));
  if (local.size() >= 3 && lower.find(local) != std::string::npos) {
    return InvalidArgument("Password must not contain your email address", "password");
  }
  return Status::Ok();
}

}  // namespace countersign
