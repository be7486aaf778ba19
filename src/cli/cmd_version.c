/*
 * cmd_version.c - `myotrack version`.
 */
#include "cli.h"

int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("myotrack %s\n", mt_version());
    return EX_OK;
}
