#pragma once

// The process's own memory as Linux reports it in /proc/self/status, for progress displays and
// summaries. RssAnon is what the scale targets count: heap and other anonymous pages; the page
// cache of a mapped checkpoint (RssFile) is excluded, because the kernel drops it under
// pressure. VmHWM is the kernel's peak of all resident memory, file pages included (the kernel
// keeps no peak of RssAnon alone). Where /proc is unavailable (not Linux, a sandbox without
// it) the functions return an error naming the file, never a guess.

#include "core/common/expected.h"

#include <QByteArray>

namespace lqer {

// The value of a "Name:   123 kB" line of a /proc status text, in bytes; an error when the
// field is missing or not a number in kB.
Expected<qint64> procStatusField(const QByteArray &statusText, const char *field);

// Current anonymous resident memory (RssAnon) of this process, in bytes.
Expected<qint64> currentRssAnonBytes();
// Peak resident memory (VmHWM, file pages included) of this process, in bytes.
Expected<qint64> peakRssBytes();

} // namespace lqer
