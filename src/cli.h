/* SPDX-License-Identifier: MIT */
#ifndef WARTA_CLI_H
#define WARTA_CLI_H

/* Subcommands of the command-line tool that live outside main.c. */

#include "warta.h"

/* `warta eval`: argv holds the arguments after "eval". load() loads the
 * ruleset from a data folder (NULL: the default one), or returns NULL with
 * the exit code in *rc after printing why. Returns the exit code. */
int cli_eval(int argc, char **argv, warta_ruleset *(*load)(const char *data, int *rc));

#endif
