/*
	Ends the simulator process with a status: mcsim never exits by itself, so this is how an mcsim
	test app reports pass/fail to tools/test-mcsim.ts. lin only (see manifest.json in this folder).
*/
#include <stdio.h>
#include <unistd.h>
#include "xsmc.h"

void xs_sim_exit(xsMachine *the)
{
	int status = (xsmcArgc > 0) ? xsmcToInteger(xsArg(0)) : 0;
	fflush(stdout);
	fflush(stderr);
	_exit(status & 0xFF);
}
