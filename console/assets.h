// The console's pages, compiled into the binary (console/assets/, embedded by
// embed_assets.cmake at build time): nothing is fetched at run time.
#pragma once

#include <string_view>

namespace kafkalite::console {

struct Asset {
  std::string_view path;  // "/index.html", "/app.js", ...
  std::string_view content_type;
  std::string_view data;
};

// The asset at `path` ("/" is /index.html); nullptr when there is none.
const Asset* find_asset(std::string_view path);

}  // namespace kafkalite::console
