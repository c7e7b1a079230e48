//@ ch11
#pragma once

#include <cstdint>
//> ch14
#include <string>
//< ch14

namespace kafka::common::protocol {

/// The APIs this course speaks, by their numbers on the wire (Kafka's ApiKeys): every request
/// header starts with one of them.
enum class ApiKeys : std::int16_t {
    kProduce = 0,
    kFetch = 1,
    kListOffsets = 2,
    kMetadata = 3,
    kApiVersions = 18,
    //> ch36
    kInitProducerId = 22,
    //< ch36
};

//> ch14
/// A range of versions of one API, both ends included.
struct VersionRange {
    std::int16_t min = 0;
    std::int16_t max = 0;
};

/// The versions of each API that our code can write and read. They are all non-flexible
/// (plain int16/int32 lengths, no tagged fields), which keeps the encoding that chapter 14
/// teaches the only one, and they are what every broker from Kafka 2.1 to 4.x accepts:
/// Kafka 4.0 removed Produce v0-2 (magic 0 and 1 message sets), and Debian's librdkafka 2.0.2
/// mock cluster answers Produce only up to v7. Chapter 16 picks, per broker, the highest
/// version both sides know.
inline VersionRange supportedVersions(ApiKeys api) {
    switch (api) {
        case ApiKeys::kProduce:
            return {3, 8};  // 3: the first with record batch v2
        case ApiKeys::kFetch:
            return {4, 11};  // the broker's side (chapter 30)
        case ApiKeys::kListOffsets:
            return {1, 5};  // the broker's side (chapter 30)
        case ApiKeys::kMetadata:
            return {1, 8};  // 1: null topics means "all", empty "none"
        case ApiKeys::kApiVersions:
            return {0, 2};  // 3 is flexible
        //> ch36
        case ApiKeys::kInitProducerId:
            // 2 is flexible; Kafka 4.x still serves 0 and 1.
            return {0, 1};
            //< ch36
    }
    return {0, -1};
}

/// Whether `api` is one of the APIs above: a broker closes the connection of a request for
/// any other (chapter 29).
inline bool isKnown(ApiKeys api) {
    return supportedVersions(api).max >= 0;
}

inline std::string name(ApiKeys api) {
    switch (api) {
        case ApiKeys::kProduce:
            return "Produce";
        case ApiKeys::kFetch:
            return "Fetch";
        case ApiKeys::kListOffsets:
            return "ListOffsets";
        case ApiKeys::kMetadata:
            return "Metadata";
        case ApiKeys::kApiVersions:
            return "ApiVersions";
        //> ch36
        case ApiKeys::kInitProducerId:
            return "InitProducerId";
            //< ch36
    }
    return "Unknown(" + std::to_string(static_cast<int>(api)) + ")";
}
//< ch14

}  // namespace kafka::common::protocol
