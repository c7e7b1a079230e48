//@ ch02
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "kafka/common/utils/LogContext.h"

namespace kafka::common::utils {
namespace {

// What one block of code writes to standard error, where every logger writes.
template <typename Body>
std::string capturedLog(Body body) {
    testing::internal::CaptureStderr();
    body();
    return testing::internal::GetCapturedStderr();
}

// Whether `text` has the shape of `pattern`, where a '9' stands for any digit.
bool hasShape(std::string_view text, std::string_view pattern) {
    return text.size() == pattern.size() &&
           std::equal(pattern.begin(), pattern.end(), text.begin(), [](char want, char got) {
               return want == '9' ? got >= '0' && got <= '9' : want == got;
           });
}

TEST(LogContext, ALineSaysWhenWhatWhoAndWhichClass) {
    const Logger log = LogContext("[Producer clientId=billing] ").logger("LogContextTestA");
    const std::string line = capturedLog([&] { log.warn("Node {} disconnected.", 3); });
    // Kafka's log4j layout: [time] LEVEL [component] message (class)
    const std::string_view time = "[9999-99-99 99:99:99,999] ";
    ASSERT_GT(line.size(), time.size()) << line;
    EXPECT_TRUE(hasShape(std::string_view(line).substr(0, time.size()), time)) << line;
    EXPECT_EQ(line.substr(time.size()),
              "WARN [Producer clientId=billing] Node 3 disconnected. (LogContextTestA)\n");
}

TEST(LogContext, LinesBelowTheLevelAreNotWritten) {
    const Logger log = LogContext().logger("LogContextTestB");
    setLogLevel("LogContextTestB", LogLevel::kWarn);
    EXPECT_FALSE(log.isEnabled(LogLevel::kInfo));
    EXPECT_TRUE(log.isEnabled(LogLevel::kError));
    EXPECT_EQ(capturedLog([&] { log.info("not {}", "shown"); }), "");
    EXPECT_NE(capturedLog([&] { log.error("shown"); }), "");
}

TEST(LogContext, EachClassHasALevelOfItsOwn) {
    const Logger chatty = LogContext().logger("LogContextTestC");
    const Logger quiet = LogContext().logger("LogContextTestD");
    setLogLevel("LogContextTestC", LogLevel::kDebug);
    setLogLevel("LogContextTestD", LogLevel::kError);
    EXPECT_TRUE(chatty.isEnabled(LogLevel::kDebug));
    EXPECT_FALSE(quiet.isEnabled(LogLevel::kDebug));
    // Another logger for the same class shares its level, whoever asks for it.
    EXPECT_TRUE(LogContext("[Broker id=0] ").logger("LogContextTestC").isEnabled(LogLevel::kDebug));
}

}  // namespace
}  // namespace kafka::common::utils
