#include <cstdio>
#include "trygg/version.hpp"
int main() { std::printf("trygg %s\n", trygg::kVersion); return 0; }
