//@ ch04
// Chapter 4: what send() paid to turn a value that is already bytes into bytes. Until issue 21
// ByteArraySerializer returned a new vector, a copy of the record's value, and send() then
// worked on that copy; now the serializer lends the value (Serializer::lendsItsInput) and
// send() reads the record's own bytes through a view. The two ways side by side, per value,
// at the side-by-side benchmark's record sizes: the copy is an allocation and a memcpy, the
// view two words.
#include <benchmark/benchmark.h>

#include <optional>
#include <string>

#include "kafka/common/serialization/ByteArraySerializer.h"

namespace {

using kafka::common::serialization::ByteArraySerializer;
using kafka::common::utils::Bytes;
using kafka::common::utils::ByteView;

const std::string kTopic = "bench";

// What send() did: the serializer's copy, which send() kept and read.
void BM_SerializeByCopy(benchmark::State& state) {
    ByteArraySerializer serializer;
    const std::optional<Bytes> value(Bytes(static_cast<std::size_t>(state.range(0)), 'v'));
    for (auto _ : state) {
        const std::optional<Bytes> made = serializer.serialize(kTopic, value);
        benchmark::DoNotOptimize(made->data());
    }
    state.SetBytesProcessed(state.iterations() * state.range(0));
}

// What send() does: the serializer lends, and the view is of the record's own value.
void BM_SerializeByLending(benchmark::State& state) {
    ByteArraySerializer serializer;
    const std::optional<Bytes> value(Bytes(static_cast<std::size_t>(state.range(0)), 'v'));
    for (auto _ : state) {
        std::optional<ByteView> view;
        if (serializer.lendsItsInput()) view = value;
        benchmark::DoNotOptimize(view);
    }
    state.SetBytesProcessed(state.iterations() * state.range(0));
}

BENCHMARK(BM_SerializeByCopy)->ArgName("bytes")->Arg(100)->Arg(1000)->Arg(10'000);
BENCHMARK(BM_SerializeByLending)->ArgName("bytes")->Arg(100)->Arg(1000)->Arg(10'000);

}  // namespace
