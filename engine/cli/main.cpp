#include <gdal.h>

namespace trygg::engine {
int runCli(int argc, char** argv);
}

int main(int argc, char** argv) {
  GDALAllRegister();
  const int rc = trygg::engine::runCli(argc, argv);
  GDALDestroy();
  return rc;
}
