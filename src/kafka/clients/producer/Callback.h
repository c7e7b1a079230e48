//@ ch01
#pragma once

#include <exception>
#include <functional>

#include "kafka/clients/producer/RecordMetadata.h"

namespace kafka::clients::producer {

//> ch01 callback
/// Called exactly once per record when its fate is known: with the metadata and a null
/// exception when the broker stored it, or with the error that failed it. Callbacks run on
/// the producer's I/O thread, so they must be quick: a slow callback delays every other
/// partition's acknowledgements. The records of one batch are called back in order; across
/// batches of a partition, in order only while one request per connection is in flight
/// (max.in.flight.requests.per.connection=1): otherwise a retried batch may complete after a
/// newer one (chapter 23). A callback that throws is logged, and harms no other record.
using Callback = std::function<void(const RecordMetadata& metadata, std::exception_ptr error)>;
//< ch01 callback

}  // namespace kafka::clients::producer
