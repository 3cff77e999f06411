// Offline by default (issue 10 item 14): what turns GDAL's and PROJ's network
// access off, and which layer sources count as network sources.
#include <cpl_conv.h>
#include <cpl_http.h>
#include <cpl_string.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <string>

#include "core/error.hpp"
#include "data/ogr_util.hpp"
#include "data/reader.hpp"

namespace trygg::data {

namespace {

std::atomic<bool> g_network{false};

// Every CPLHTTPFetch (WFS, OAPIF, a GeoJSON "crs" link, SRS URLs, ...) ends here
// while offline: a failed request, no connection.
CPLHTTPResult* refuseFetch(const char* url, CSLConstList, GDALProgressFunc, void*, CPLHTTPFetchWriteFunc, void*,
                           void*) {
  auto* r = static_cast<CPLHTTPResult*>(CPLCalloc(1, sizeof(CPLHTTPResult)));
  r->nStatus = 1;
  r->pszErrBuf = CPLStrdup(CPLSPrintf("trygg is offline: network access to %s is off (allow it with "
                                      "`network: allow` in the project or --allow-network)",
                                      url ? url : "(unknown)"));
  CPLError(CE_Failure, CPLE_AppDefined, "%s", r->pszErrBuf);
  return r;
}

// /vsicurl/ and the network file systems built on it accept only names with
// these extensions; no real file has it, so no request is ever made.
constexpr const char* kNoRemoteExtension = ".trygg-network-is-off";

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

void setNetworkAccess(bool allow) {
  g_network = allow;
  if (allow) {
    CPLHTTPSetFetchCallback(nullptr, nullptr);
    CPLSetConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", nullptr);
    CPLSetConfigOption("GDAL_HTTP_MAX_RETRY", nullptr);
    return;
  }
  CPLHTTPSetFetchCallback(refuseFetch, nullptr);
  CPLSetConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", kNoRemoteExtension);
  CPLSetConfigOption("GDAL_HTTP_MAX_RETRY", "0");
  // PROJ reads PROJ_NETWORK when a context is made (geo/crs and GDAL's own).
  ::setenv("PROJ_NETWORK", "OFF", 1);
  OSRSetPROJEnableNetwork(FALSE);
}

bool networkAccessAllowed() { return g_network; }

bool sourceUsesNetwork(std::string_view source) {
  const std::string s = lower(source);
  if (s.find("://") != std::string::npos) return true;
  static constexpr std::array kVsi{"/vsicurl", "/vsis3", "/vsigs", "/vsiaz", "/vsiadls", "/vsioss",
                                   "/vsiswift", "/vsiwebhdfs", "/vsihdfs"};
  for (const char* v : kVsi)
    if (s.find(v) != std::string::npos) return true;
  static constexpr std::array kPrefixes{"pg:", "postgresql:", "mysql:", "oci:", "mssql:", "odbc:", "wfs:", "wfs3:",
                                        "oapif:", "wms:", "wcs:", "es:", "elasticsearch:", "couchdb:", "mongodb:",
                                        "mongodbv3:", "carto:", "amigocloud:", "ngw:", "eeda:", "plscenes:", "hana:",
                                        "dods:", "ogdi:", "gpsbabel:"};
  for (const char* p : kPrefixes)
    if (s.rfind(p, 0) == 0) return true;
  return false;
}

void refuseNetworkSourceWhenOffline(const LayerConfig& cfg) {
  if (g_network || !sourceUsesNetwork(cfg.source)) return;
  throwUsageError("layer '{}': source '{}' reaches the network (a URL, a /vsicurl/-style path or a database or web "
                  "service connection), and trygg is offline by default; download the data to a file, or allow "
                  "network access with `network: allow` under `project:` or `--allow-network` (docs/project-file.md)",
                  cfg.name, redactConnection(cfg.source));
}

}  // namespace trygg::data
