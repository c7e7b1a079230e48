//@ ch38
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <string>

#include "kafka/common/record/CompressionType.h"

namespace kafka::common::record {

/// The producer's running guess of how well a topic's records compress with each codec
/// (Kafka's CompressionRatioEstimator): a batch's compressed size is known only once it is
/// closed, but whether the next record fits must be decided at every append. The guess starts
/// at 1 (no gain at all, the safe side) and learns from every batch closed: it creeps down by
/// 0.005 when a batch compressed better than guessed, and jumps up by at least 0.05 when one
/// compressed worse. Slow to trust, quick to doubt: a batch estimated too small is only a
/// smaller request, one estimated too large may be refused by the broker (and split,
/// chapter 38).
///
/// One estimate per topic and codec, shared by every producer of the process, as Kafka's
/// static map is. Thread-safe: the application's threads read it, the I/O thread updates it.
class CompressionRatioEstimator {
public:
    static constexpr float kCompressionRatioImprovingStep = 0.005F;
    static constexpr float kCompressionRatioDeteriorateStep = 0.05F;
    static constexpr float kInitialRatio = 1.0F;

    /// The current estimate for `topic` and `type` (1 for a topic not seen yet).
    static float estimation(const std::string& topic, CompressionType type);
    /// Learns from a closed batch's observed ratio; returns the new estimate.
    static float updateEstimation(const std::string& topic, CompressionType type,
                                  float observedRatio);
    /// Sets the estimate outright: after a split, to the refused batch's ratio (at least 1).
    static void setEstimation(const std::string& topic, CompressionType type, float ratio);
    /// Every codec's estimate for `topic` back to 1.
    static void resetEstimation(const std::string& topic);
    /// Forgets `topic`.
    static void removeEstimation(const std::string& topic);

private:
    using Ratios = std::array<float, 5>;  // by CompressionType id

    static std::mutex& mutex();
    static std::map<std::string, Ratios>& ratios();
    static Ratios& ratiosFor(const std::string& topic);  // mutex held
};

}  // namespace kafka::common::record
