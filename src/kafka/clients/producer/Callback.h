//@ ch01
#pragma once

#include <exception>
#include <functional>

#include "kafka/clients/producer/RecordMetadata.h"

namespace kafka::clients::producer {

//> ch01 callback
/// Called exactly once per record when its fate is known: with the metadata and a null
/// exception when the broker stored it, or with the error that failed it. Callbacks run on
/// the producer's I/O thread, in the order of the records in a partition, so they must be quick:
/// a slow callback delays every other partition's acknowledgements.
using Callback = std::function<void(const RecordMetadata& metadata, std::exception_ptr error)>;
//< ch01 callback

}  // namespace kafka::clients::producer
