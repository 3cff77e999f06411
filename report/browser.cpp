#include "report/browser.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <random>

#include <fmt/format.h>

#include "data/atomic_file.hpp"

namespace trygg::report {

namespace fs = std::filesystem;

std::optional<fs::path> findChromium() {
  if (const char* e = std::getenv("TRYGG_CHROMIUM"); e && *e) {
    if (fs::exists(e)) return fs::path(e);
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  const std::string P = path ? path : "/usr/local/bin:/usr/bin:/bin";
  for (const char* name : {"chromium", "chromium-browser", "google-chrome-stable", "google-chrome"}) {
    std::size_t start = 0;
    while (start <= P.size()) {
      const auto end = P.find(':', start);
      const std::string dir = P.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (!dir.empty()) {
        const fs::path c = fs::path(dir) / name;
        if (::access(c.c_str(), X_OK) == 0) return c;
      }
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  return std::nullopt;
}

std::vector<std::string> offlineChromiumFlags(const fs::path& profile_dir) {
  return {"--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-dev-shm-usage",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-default-apps",
          "--disable-extensions",
          "--disable-sync",
          "--disable-spell-checking",
          "--disable-features=Translate,MediaRouter,OptimizationHints,NetworkTimeServiceQuerying,AutofillServerCommunication",
          "--disable-breakpad",
          "--disable-crash-reporter",
          "--metrics-recording-only",
          "--no-default-browser-check",
          "--no-first-run",
          "--no-pings",
          "--mute-audio",
          "--hide-scrollbars",
          "--host-resolver-rules=MAP * ~NOTFOUND",
          "--user-data-dir=" + profile_dir.string()};
}

ProcessResult runProcess(const fs::path& program, const std::vector<std::string>& args, std::chrono::seconds timeout) {
  ProcessResult r;
  int pipefd[2];
  if (::pipe(pipefd) != 0) {
    r.output = std::strerror(errno);
    return r;
  }
  std::vector<std::string> argv_s;
  argv_s.push_back(program.string());
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    r.output = std::strerror(errno);
    ::close(pipefd[0]);
    ::close(pipefd[1]);
    return r;
  }
  if (pid == 0) {
    ::setpgid(0, 0);  // its own process group: a timeout ends the browser and its helpers
    ::dup2(pipefd[1], 1);
    ::dup2(pipefd[1], 2);
    ::close(pipefd[0]);
    ::close(pipefd[1]);
    const int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, 0);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  ::close(pipefd[1]);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  bool open = true;
  while (open) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      r.timed_out = true;
      break;
    }
    pollfd p{pipefd[0], POLLIN, 0};
    const int k = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 500)));
    if (k > 0) {
      const auto n = ::read(pipefd[0], buf, sizeof buf);
      if (n <= 0) open = false;
      else {
        if (r.output.size() < (std::size_t{256} << 20)) r.output.append(buf, static_cast<std::size_t>(n));
      }
    }
  }
  ::close(pipefd[0]);
  int status = 0;
  if (r.timed_out) {
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return r;
  }
  // The browser closed its output; wait for it to exit (within the deadline).
  while (true) {
    const pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      r.timed_out = true;
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return r;
    }
    ::usleep(50 * 1000);
  }
  // Helpers left in the group (zygotes) go with it.
  ::kill(-pid, SIGKILL);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string fileUrl(const fs::path& p) {
  const std::string s = fs::absolute(p).lexically_normal().string();
  std::string out = "file://";
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

PdfResult printPdf(const fs::path& html, const fs::path& pdf) {
  PdfResult res;
  const auto chromium = findChromium();
  if (!chromium) {
    res.note = fmt::format(
        "PDF skipped: no Chromium found (install Debian's `chromium` package, e.g. scripts/setup.sh, or set "
        "TRYGG_CHROMIUM to the browser), then run `trygg report` again; the HTML report is complete without it");
    return res;
  }
  std::random_device rd;
  const fs::path profile = fs::temp_directory_path() / fmt::format("trygg-chromium-{}-{}", ::getpid(), rd());
  fs::create_directories(profile);
  data::AtomicOutput out(pdf);
  auto args = offlineChromiumFlags(profile);
  args.push_back("--no-pdf-header-footer");
  args.push_back("--print-to-pdf=" + out.tempPath().string());
  args.push_back(fileUrl(html));
  const auto pr = runProcess(*chromium, args, std::chrono::seconds(180));
  std::error_code ec;
  fs::remove_all(profile, ec);
  if (pr.timed_out || pr.exit_code != 0 || !fs::exists(out.tempPath()) || fs::file_size(out.tempPath()) < 100) {
    std::string tail = pr.output.size() > 600 ? pr.output.substr(pr.output.size() - 600) : pr.output;
    res.note = fmt::format("PDF not written: {} {} ({}); the HTML report is complete without it",
                           chromium->string(), pr.timed_out ? "timed out" : fmt::format("exited with {}", pr.exit_code), tail);
    return res;
  }
  out.commit();
  res.written = true;
  return res;
}

}  // namespace trygg::report
