/*
 * config - one loaded configuration. See config.h.
 */
#include <stdlib.h>

#include "config.h"

struct config *
config_new(void)
{
	struct config *c = calloc(1, sizeof(*c));

	if (c != NULL && (c->policy = policy_new()) == NULL) {
		free(c);
		c = NULL;
	}
	return c;
}

void
config_free(struct config *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; c->text != NULL && i < c->ntext; i++)
		free(c->text[i]);
	free(c->text);
	for (i = 0; i < c->nsources; i++)
		free(c->sources[i]);
	free(c->sources);
	free(c->postfix_dir);
	policy_free(c->policy);
	ratelimit_rules_free(&c->rate);
	free(c->milter_socket);
	free(c->syslog_ident);
	free(c->user);
	free(c->pid_file);
	free(c->socket_group);
	free(c->control_socket);
	free(c->stats_file);
	free(c);
}
