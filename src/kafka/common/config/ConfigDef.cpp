//@ ch02
#include "kafka/common/config/ConfigDef.h"

#include <algorithm>
#include <charconv>
#include <sstream>

#include "kafka/common/errors/Exceptions.h"

namespace kafka::common::config {

using errors::ConfigException;

namespace {

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

[[noreturn]] void invalid(const std::string& name, const std::string& value,
                          const std::string& reason) {
    throw ConfigException("Invalid value " + value + " for configuration " + name + ": " + reason);
}

template <typename Int>
Int parseInteger(const std::string& name, const std::string& text, const char* typeName) {
    const std::string value = trim(text);
    Int result{};
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), result);
    if (ec != std::errc{} || end != value.data() + value.size() || value.empty())
        invalid(name, text, std::string("Not a number of type ") + typeName);
    return result;
}

std::int64_t asNumber(const ConfigValue& value) {
    if (const auto* i = std::get_if<std::int32_t>(&value)) return *i;
    if (const auto* l = std::get_if<std::int64_t>(&value)) return *l;
    return 0;
}

}  // namespace

std::string toString(const ConfigValue& value) {
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, bool>) {
                return v ? "true" : "false";
            } else if constexpr (std::is_same_v<T, std::string>) {
                return v;
            } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
                std::string joined;
                for (const auto& item : v) joined += (joined.empty() ? "" : ",") + item;
                return joined;
            } else {
                std::ostringstream out;
                out << v;
                return out.str();
            }
        },
        value);
}

ConfigDef& ConfigDef::define(std::string name, Type type, std::optional<std::string> defaultValue,
                             Validator validator, std::string documentation) {
    Key key{name, type, std::move(defaultValue), std::move(validator), std::move(documentation)};
    keys_.insert_or_assign(std::move(name), std::move(key));
    return *this;
}

ConfigDef& ConfigDef::define(std::string name, Type type, std::optional<std::string> defaultValue,
                             std::string documentation) {
    return define(std::move(name), type, std::move(defaultValue), nullptr,
                  std::move(documentation));
}

ConfigValue ConfigDef::parseType(const std::string& name, const std::string& value, Type type) {
    switch (type) {
        case Type::kBoolean: {
            std::string lower = trim(value);
            std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
            if (lower == "true") return true;
            if (lower == "false") return false;
            invalid(name, value, "Expected value to be either true or false");
        }
        case Type::kInt:
            return parseInteger<std::int32_t>(name, value, "INT");
        case Type::kLong:
            return parseInteger<std::int64_t>(name, value, "LONG");
        case Type::kDouble: {
            try {
                std::size_t used = 0;
                const double result = std::stod(trim(value), &used);
                if (used == trim(value).size()) return result;
            } catch (const std::exception&) {
            }
            invalid(name, value, "Not a number of type DOUBLE");
        }
        case Type::kString:
            return trim(value);
        case Type::kList: {
            std::vector<std::string> items;
            std::istringstream in(value);
            for (std::string item; std::getline(in, item, ',');)
                if (!trim(item).empty()) items.push_back(trim(item));
            return items;
        }
    }
    invalid(name, value, "unknown type");
}

//> ch02 parse
std::map<std::string, ConfigValue> ConfigDef::parse(const Properties& props,
                                                    std::set<std::string>* unknown) const {
    std::map<std::string, ConfigValue> values;
    for (const auto& [name, key] : keys_) {
        const auto given = props.find(name);
        std::optional<std::string> text =
            given != props.end() ? std::optional(given->second) : key.defaultValue;
        if (!text)
            throw ConfigException("Missing required configuration \"" + name +
                                  "\" which has no default value.");
        ConfigValue value = parseType(name, *text, key.type);
        if (key.validator) key.validator(name, value);
        values.emplace(name, std::move(value));
    }
    if (unknown)
        for (const auto& [name, value] : props)
            if (!keys_.contains(name)) unknown->insert(name);
    return values;
}
//< ch02 parse

ConfigDef::Validator ConfigDef::atLeast(std::int64_t min) {
    return [min](const std::string& name, const ConfigValue& value) {
        if (asNumber(value) < min)
            invalid(name, toString(value), "Value must be at least " + std::to_string(min));
    };
}

ConfigDef::Validator ConfigDef::between(std::int64_t min, std::int64_t max) {
    return [min, max](const std::string& name, const ConfigValue& value) {
        const auto number = asNumber(value);
        if (number < min)
            invalid(name, toString(value), "Value must be at least " + std::to_string(min));
        if (number > max)
            invalid(name, toString(value), "Value must be no more than " + std::to_string(max));
    };
}

ConfigDef::Validator ConfigDef::maxLength(std::size_t max, std::string why) {
    return [max, why = std::move(why)](const std::string& name, const ConfigValue& value) {
        const std::string text = toString(value);
        if (text.size() <= max) return;
        // The value itself may be huge: its start and its length say enough.
        invalid(name, text.substr(0, 20) + "... (" + std::to_string(text.size()) + " bytes)",
                "String must be at most " + std::to_string(max) + " bytes long: " + why);
    };
}

ConfigDef::Validator ConfigDef::validString(std::vector<std::string> allowed) {
    return [allowed = std::move(allowed)](const std::string& name, const ConfigValue& value) {
        const std::string text = toString(value);
        if (std::find(allowed.begin(), allowed.end(), text) != allowed.end()) return;
        std::string list;
        for (const auto& item : allowed) list += (list.empty() ? "" : ", ") + item;
        invalid(name, text, "String must be one of: " + list);
    };
}

}  // namespace kafka::common::config
