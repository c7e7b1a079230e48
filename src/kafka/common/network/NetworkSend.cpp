//@ ch14
#include "kafka/common/network/NetworkSend.h"

#include <algorithm>
#include <limits>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/utils/ByteUtils.h"

namespace kafka::common::network {

namespace {

// A frame's size is an int32: a larger payload cannot be framed, and must not be framed wrong.
std::int32_t frameSizeOf(std::size_t payloadSize) {
    if (payloadSize > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
        throw errors::IllegalArgumentException("A frame of " + std::to_string(payloadSize) +
                                               " bytes is too large to send (at most 2 GiB)");
    return static_cast<std::int32_t>(payloadSize);
}

}  // namespace

NetworkSend::NetworkSend(std::string destination, std::span<const std::uint8_t> payload)
    : destination_(std::move(destination)), frame_(4 + payload.size()) {
    utils::ByteUtils::writeBigEndian(std::span<std::uint8_t>(frame_), 0,
                                     frameSizeOf(payload.size()));
    std::copy(payload.begin(), payload.end(), frame_.begin() + 4);
    pieces_.push_back(Piece{0, frame_.size()});
    size_ = frame_.size();
}

NetworkSend::NetworkSend(std::string destination, utils::Bytes frame, std::vector<Piece> pieces)
    : destination_(std::move(destination)), frame_(std::move(frame)), pieces_(std::move(pieces)) {
    for (const auto& piece : pieces_) size_ += piece.size;
}

NetworkSend NetworkSend::withSizeInFront(std::string destination, utils::Bytes frame) {
    if (frame.size() < 4)
        throw errors::IllegalArgumentException("A frame has four bytes for its size in front");
    utils::ByteUtils::writeBigEndian(std::span<std::uint8_t>(frame), 0,
                                     frameSizeOf(frame.size() - 4));
    std::vector<Piece> pieces{Piece{0, frame.size()}};
    return NetworkSend(std::move(destination), std::move(frame), std::move(pieces));
}

//> ch17 with-lent-bytes
NetworkSend NetworkSend::withSizeInFront(std::string destination, utils::Bytes frame,
                                         const std::vector<LentBytes>& lent) {
    if (frame.size() < 4)
        throw errors::IllegalArgumentException("A frame has four bytes for its size in front");
    // The frame's own bytes, cut where lent bytes go in: own, lent, own, lent, ..., own.
    std::vector<Piece> pieces;
    std::size_t from = 0;  // the first own byte not in a piece yet
    std::size_t lentSize = 0;
    for (const auto& [offset, bytes] : lent) {
        if (offset < std::max<std::size_t>(from, 4) || offset > frame.size())
            throw errors::IllegalArgumentException("Lent bytes at offset " +
                                                   std::to_string(offset) +
                                                   " are out of order or outside the frame");
        if (offset > from) pieces.push_back(Piece{from, offset - from});
        if (!bytes.empty()) pieces.push_back(Piece{0, bytes.size(), bytes.data()});
        from = offset;
        lentSize += bytes.size();
    }
    if (from < frame.size()) pieces.push_back(Piece{from, frame.size() - from});
    utils::ByteUtils::writeBigEndian(std::span<std::uint8_t>(frame), 0,
                                     frameSizeOf(frame.size() - 4 + lentSize));
    return NetworkSend(std::move(destination), std::move(frame), std::move(pieces));
}
//< ch17 with-lent-bytes

NetworkSend::Buffer NetworkSend::bytesOf(const Piece& piece) const {
    if (piece.lent) return Buffer(piece.lent, piece.size);
    return Buffer(frame_).subspan(piece.frameOffset, piece.size);
}

std::vector<NetworkSend::Buffer> NetworkSend::remaining() const {
    std::vector<Buffer> buffers;
    buffers.reserve(pieces_.size() - piece_);
    for (std::size_t i = piece_; i < pieces_.size(); ++i)
        buffers.push_back(bytesOf(pieces_[i]).subspan(i == piece_ ? pieceOffset_ : 0));
    return buffers;
}

void NetworkSend::written(std::size_t n) {
    if (n > size_ - written_)
        throw errors::IllegalStateException("Wrote " + std::to_string(n) +
                                            " bytes of a send that had " +
                                            std::to_string(size_ - written_) + " left");
    written_ += n;
    // A write ends anywhere: inside the first piece, or in a later one.
    while (n > 0) {
        const std::size_t leftInPiece = pieces_[piece_].size - pieceOffset_;
        const std::size_t taken = std::min(n, leftInPiece);
        pieceOffset_ += taken;
        n -= taken;
        if (pieceOffset_ == pieces_[piece_].size) {
            ++piece_;
            pieceOffset_ = 0;
        }
    }
}

}  // namespace kafka::common::network
