#pragma once

// A value or an error message that names the input (STYLE.md §2: a function takes a
// config struct and returns a result struct). Small on purpose: std::expected is C++23.

#include <QString>

#include <optional>
#include <utility>

namespace lqer {

struct Error
{
    QString message;
};

inline Error makeError(QString message)
{
    return Error {std::move(message)};
}

template<typename T> class Expected
{
public:
    Expected(T value)
        : mValue(std::move(value))
    { }
    Expected(Error error)
        : mError(std::move(error.message))
    { }

    bool ok() const { return mValue.has_value(); }
    explicit operator bool() const { return ok(); }

    T &value() & { return *mValue; }
    const T &value() const & { return *mValue; }
    T &&value() && { return std::move(*mValue); }
    T *operator->() { return &*mValue; }
    const T *operator->() const { return &*mValue; }
    T &operator*() & { return *mValue; }
    const T &operator*() const & { return *mValue; }

    const QString &error() const { return mError; }

private:
    std::optional<T> mValue;
    QString mError;
};

// For operations that return nothing but may fail.
class Status
{
public:
    Status() = default;
    Status(Error error)
        : mError(std::move(error.message))
        , mFailed(true)
    { }

    static Status success() { return Status(); }

    bool ok() const { return !mFailed; }
    explicit operator bool() const { return ok(); }
    const QString &error() const { return mError; }

private:
    QString mError;
    bool mFailed = false;
};

} // namespace lqer
