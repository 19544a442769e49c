/*
 * Registration and login through the real auth executable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "account.h"
#include "http.h"

bool
account_new(struct test_account *a)
{
	static unsigned	 seq;
	struct reply	 r = { 0 };
	char		 body[512];
	const char	*v;
	bool		 ok = false;

	memset(a, 0, sizeof(*a));
	snprintf(a->email, sizeof(a->email), "t%ld.%d.%u.%d@example.com",
	    (long)time(NULL), (int)getpid(), ++seq, rand() % 100000);
	snprintf(a->password, sizeof(a->password), "correct horse %u battery",
	    seq);
	snprintf(body, sizeof(body),
	    "{\"email\":\"%s\",\"password\":\"%s\",\"name\":\"Test %u\"}",
	    a->email, a->password, seq);
	if (http(&r, "POST", "/api/v1/auth/register", body, NULL) != 201) {
		printf("# register: %ld %s\n", r.status, r.body);
		goto out;
	}
	if ((v = http_json_str(&r, "account_id")) != NULL)
		snprintf(a->account_id, sizeof(a->account_id), "%s", v);
	if ((v = http_json_str(&r, "id")) != NULL)
		snprintf(a->user_id, sizeof(a->user_id), "%s", v);
	ok = account_login(a);
out:
	http_free(&r);
	return ok;
}

bool
account_login(struct test_account *a)
{
	struct reply	 r = { 0 };
	char		 body[512];
	const char	*v;
	bool		 ok = false;

	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
	    a->email, a->password);
	if (http(&r, "POST", "/api/v1/auth/login", body, NULL) != 200 ||
	    (v = http_json_str(&r, "access_token")) == NULL) {
		printf("# login: %ld %s\n", r.status, r.body);
		goto out;
	}
	snprintf(a->token, sizeof(a->token), "%s", v);
	if ((v = http_json_str(&r, "refresh_token")) != NULL)
		snprintf(a->refresh, sizeof(a->refresh), "%s", v);
	snprintf(a->bearer, sizeof(a->bearer), "Authorization: Bearer %s",
	    a->token);
	a->headers[0] = a->bearer;
	a->headers[1] = NULL;
	ok = true;
out:
	http_free(&r);
	return ok;
}
