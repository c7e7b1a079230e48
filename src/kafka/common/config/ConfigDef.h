//@ ch02
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace kafka::common::config {

/// What a user hands to a client: string keys and string values, as in a .properties file.
using Properties = std::map<std::string, std::string>;

/// A parsed configuration value.
using ConfigValue =
    std::variant<bool, std::int32_t, std::int64_t, double, std::string, std::vector<std::string>>;

/// Kafka's ConfigDef: the list of keys a client knows, each with its type, its default and
/// a validator. Parsing turns strings into typed values once, at construction, so that a bad
/// value fails loudly before any thread starts, with the key and the value in the message.
class ConfigDef {
public:
    enum class Type { kBoolean, kInt, kLong, kDouble, kString, kList };
    /// Throws ConfigException naming the key and the value when the value is not allowed.
    using Validator = std::function<void(const std::string& name, const ConfigValue& value)>;

    struct Key {
        std::string name;
        Type type;
        std::optional<std::string> defaultValue;  // none: the key is required
        Validator validator;
        std::string documentation;
    };

    ConfigDef& define(std::string name, Type type, std::optional<std::string> defaultValue,
                      Validator validator, std::string documentation);
    ConfigDef& define(std::string name, Type type, std::optional<std::string> defaultValue,
                      std::string documentation);

    /// Parses every known key (falling back to its default). Unknown keys are not errors: they
    /// are returned through `unknown` so that the client can warn about them, as Kafka does.
    std::map<std::string, ConfigValue> parse(const Properties& props,
                                             std::set<std::string>* unknown = nullptr) const;

    const std::map<std::string, Key>& keys() const { return keys_; }

    /// Parses one string as `type`; the error names the key and the value.
    static ConfigValue parseType(const std::string& name, const std::string& value, Type type);

    // The validators Kafka's clients use.
    static Validator atLeast(std::int64_t min);
    static Validator between(std::int64_t min, std::int64_t max);
    static Validator validString(std::vector<std::string> allowed);
    /// A string of at most `max` bytes; `why` says where the limit comes from.
    static Validator maxLength(std::size_t max, std::string why);

private:
    std::map<std::string, Key> keys_;
};

/// The text of a value as a user would write it, for error messages.
std::string toString(const ConfigValue& value);

}  // namespace kafka::common::config
