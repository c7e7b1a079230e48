//@ ch02
#include <gtest/gtest.h>

#include <regex>
#include <string>

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

TEST(LogContext, ALineSaysWhenWhatWhoAndWhichClass) {
    const Logger log = LogContext("[Producer clientId=billing] ").logger("LogContextTestA");
    const std::string line = capturedLog([&] { log.warn("Node {} disconnected.", 3); });
    // Kafka's log4j layout: [time] LEVEL [component] message (class)
    EXPECT_TRUE(std::regex_match(
        line,
        std::regex(R"(\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] WARN \[Producer clientId=billing\] )"
                   R"(Node 3 disconnected\. \(LogContextTestA\)\n)")))
        << line;
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
