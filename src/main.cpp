#include "cli/cli.h"

int main(int argc, char** argv) { return decruft::cli::run(argc, argv); }
