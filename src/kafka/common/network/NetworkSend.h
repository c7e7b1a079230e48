//@ ch14
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "kafka/common/utils/Bytes.h"

namespace kafka::common::network {

//> ch17 lent-bytes
/// Bytes that a frame sends from where they already are instead of copying them in (Kafka's
/// zero-copy buffers in a SendBuilder, chapter 17): they belong at `offset` in the frame's own
/// bytes, between what was written before and after them. Whoever lends them keeps them valid
/// and unchanged until the send has completed or its connection is closed.
struct LentBytes {
    std::size_t offset = 0;
    std::span<const std::uint8_t> bytes;
};
//< ch17 lent-bytes

/// One frame on its way out (Kafka's NetworkSend over a ByteBufferSend): the 4-byte size, then
/// the payload, written over as many writes as the socket needs. The frame is a sequence of
/// buffers, written with one gathering write (writev) each time the socket has room; a write
/// may take only part of them, and the send remembers how far it got.
//> ch17
/// From chapter 17 a produce request's record batches are buffers of their own, lent by the
/// batches, between the pieces of the frame's own bytes.
//< ch17
class NetworkSend {
public:
    using Buffer = std::span<const std::uint8_t>;

    /// A frame of `payload` (a request or response: header and body) for connection
    /// `destination`, with its size prefix in front.
    NetworkSend(std::string destination, std::span<const std::uint8_t> payload);
    /// A frame built in place, without the copy: `frame` starts with four bytes left for the
    /// size, which are filled in here, and the payload follows them.
    static NetworkSend withSizeInFront(std::string destination, utils::Bytes frame);
    //> ch17
    /// The same, with `lent` bytes sent between the frame's own, each at its offset in `frame`
    /// (ascending): the size counts them, and nothing is copied. They must stay valid and
    /// unchanged until the send completes or its connection is closed.
    static NetworkSend withSizeInFront(std::string destination, utils::Bytes frame,
                                       const std::vector<LentBytes>& lent);
    //< ch17

    const std::string& destination() const { return destination_; }
    /// What is still to be written, in order: one gathering write can take them all.
    std::vector<Buffer> remaining() const;
    /// `n` more bytes were written, from the front of remaining(): they may end anywhere,
    /// inside a buffer or across several.
    void written(std::size_t n);
    bool completed() const { return written_ == size_; }
    /// The whole frame's size, its size prefix included.
    std::size_t size() const { return size_; }

private:
    // A piece of the frame: `size` bytes of frame_ from `frameOffset`, or, from chapter 17,
    // lent bytes. An offset rather than a pointer into frame_, so a copy is whole.
    struct Piece {
        std::size_t frameOffset = 0;
        std::size_t size = 0;
        const std::uint8_t* lent = nullptr;
    };

    NetworkSend(std::string destination, utils::Bytes frame, std::vector<Piece> pieces);
    Buffer bytesOf(const Piece& piece) const;

    std::string destination_;
    utils::Bytes frame_;           // the size and every byte not lent
    std::vector<Piece> pieces_;    // the whole frame, in order
    std::size_t size_ = 0;         // the sum of the pieces
    std::size_t written_ = 0;      // how many bytes have gone
    std::size_t piece_ = 0;        // the first piece not wholly written
    std::size_t pieceOffset_ = 0;  // how much of it is
};

}  // namespace kafka::common::network
