//@ ch38
#include "kafka/common/record/CompressionRatioEstimator.h"

#include <algorithm>

namespace kafka::common::record {

namespace {
std::size_t index(CompressionType type) {
    return static_cast<std::size_t>(type);
}
}  // namespace

std::mutex& CompressionRatioEstimator::mutex() {
    static std::mutex mutex;
    return mutex;
}

std::map<std::string, CompressionRatioEstimator::Ratios>& CompressionRatioEstimator::ratios() {
    static std::map<std::string, Ratios> ratios;
    return ratios;
}

CompressionRatioEstimator::Ratios& CompressionRatioEstimator::ratiosFor(const std::string& topic) {
    auto [position, inserted] = ratios().try_emplace(topic);
    if (inserted) position->second.fill(kInitialRatio);
    return position->second;
}

float CompressionRatioEstimator::estimation(const std::string& topic, CompressionType type) {
    std::lock_guard lock(mutex());
    return ratiosFor(topic)[index(type)];
}

//> ch38 update-estimation
float CompressionRatioEstimator::updateEstimation(const std::string& topic, CompressionType type,
                                                  float observedRatio) {
    std::lock_guard lock(mutex());
    float& estimate = ratiosFor(topic)[index(type)];
    if (observedRatio > estimate)  // worse than guessed: catch up at once, or by 0.05 at least
        estimate = std::max(estimate + kCompressionRatioDeteriorateStep, observedRatio);
    else if (observedRatio < estimate)  // better: trust it a little, 0.005 a batch
        estimate = std::max(estimate - kCompressionRatioImprovingStep, observedRatio);
    return estimate;
}
//< ch38 update-estimation

void CompressionRatioEstimator::setEstimation(const std::string& topic, CompressionType type,
                                              float ratio) {
    std::lock_guard lock(mutex());
    ratiosFor(topic)[index(type)] = ratio;
}

void CompressionRatioEstimator::resetEstimation(const std::string& topic) {
    std::lock_guard lock(mutex());
    ratiosFor(topic).fill(kInitialRatio);
}

void CompressionRatioEstimator::removeEstimation(const std::string& topic) {
    std::lock_guard lock(mutex());
    ratios().erase(topic);
}

}  // namespace kafka::common::record
