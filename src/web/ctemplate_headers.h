// The ctemplate headers the web layer uses. ctemplate/str_ref.h calls strlen without
// including <cstring>, so <cstring> must come first; this header keeps that order in one place.
#pragma once

// clang-format off
#include <cstring>
#include <ctemplate/template_cache.h>
#include <ctemplate/template_dictionary.h>
// clang-format on
