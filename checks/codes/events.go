package codes

// Codes of the "events" check: admin access to the server's own evidence,
// the user events it stores.

// CheckEvents is the id of the check these codes belong to.
const CheckEvents CheckID = "events"

var AdminLoginFailed = define(&Code{
	ID:       "ADMIN_LOGIN_FAILED",
	Check:    CheckEvents,
	Severity: Fail,
	Title:    "The admin credentials given to authdoctor were refused",
	Meaning: `authdoctor reads the server's own events and role mappings through Keycloak's admin API, with the admin credentials you gave (--admin-username/--admin-password, --admin-client-id/--admin-client-secret, or --admin-token). ` +
		`Keycloak refused them: the message quotes its answer, classified as any login would be (wrong password, unknown client, ...), or says that the ready token was refused. ` +
		`This concerns only the admin access: the checks of the credentials under test are unaffected, but cannot be refined with events.`,
	Causes: []string{
		"A wrong admin password or client secret, or an admin user of another realm than --admin-realm (default master).",
		"--admin-client-id names a client that does not exist in the admin realm, or a confidential client used without its secret (admin-cli is public).",
		"An --admin-token that expired (admin tokens live 60 s by default in master) or that comes from another Keycloak.",
	},
	Fix: steps(
		"Check the admin realm and client: a master-realm admin logs in with --admin-realm master --admin-client-id admin-cli.",
		"Try the same login with kcadm.sh config credentials (it asks for the password); it fails the same way if the credentials are wrong.",
		"With a service account, give --admin-client-id and --admin-client-secret, and assign it realm-management roles (view-events, view-users, view-realm; query-clients too, to trace client roles and service accounts).",
	),
	Console: `Realm master > Users > <admin> > Credentials` + "\n" +
		`Realm master > Clients > admin-cli`,
	Command: `kcadm.sh config credentials --server $KEYCLOAK_URL --realm master --user <admin>`,
})

var EventsForbidden = define(&Code{
	ID:       "EVENTS_FORBIDDEN",
	Check:    CheckEvents,
	Severity: Fail,
	Title:    "The admin token may not read this realm's events (view-events missing)",
	Meaning: `Keycloak answered 403 to GET /admin/realms/<realm>/events/config: the admin token was accepted but lacks the role to read events. ` +
		`Reading events needs view-events or manage-events of the realm's realm-management client (for a master-realm admin: of the <realm>-realm client in master); view-realm and manage-realm do not grant it. ` +
		`Keycloak reads the roles from the admin token itself (for a lightweight token, such as admin-cli's on 26.7, from the admin's session), so a role that is assigned but not mapped into the token (full scope off on the admin client) counts as missing.`,
	Causes: []string{
		"The admin user or service account has roles such as view-users or view-realm, but not view-events.",
		"The role is assigned but not in the token: the admin client has Full scope allowed off and no scope mapping for realm-management roles.",
		"A tenant-realm admin reading another realm: a token of realm X manages only realm X.",
	},
	Fix: steps(
		"Assign view-events of realm-management (in the tenant realm) to the admin user or service account (kcadm.sh add-roles --cclientid realm-management --rolename view-events).",
		"Log in again so the new role is in the token.",
	),
	Console: `Users > <admin> > Role mapping > Assign role > Filter by clients > realm-management view-events`,
	Command: `kcadm.sh add-roles -r tenant-<id> --uusername <admin> --cclientid realm-management --rolename view-events`,
})

var EventsDisabled = define(&Code{
	ID:       "EVENTS_DISABLED",
	Check:    CheckEvents,
	Severity: Warn,
	Title:    "The realm does not store the events that would name the real cause",
	Meaning: `Keycloak stores user events only when "Save events" is on for the realm (off by default), and then only the enabled event types. ` +
		`LOGIN_ERROR and CLIENT_LOGIN_ERROR are among the default types; REFRESH_TOKEN_ERROR is not. ` +
		`Without them, a wrong password, an unknown user and a locked account cannot be told apart: Keycloak answers all three with the same "Invalid user credentials".`,
	Causes: []string{
		"Save events was never turned on for this realm (the default).",
		"The list of saved event types was edited and lacks the type this grant leaves.",
	},
	Fix: steps(
		"Turn on Save events for user events in the realm, with LOGIN_ERROR, CLIENT_LOGIN_ERROR and REFRESH_TOKEN_ERROR among the saved types (kcadm.sh update events/config).",
		"Set an expiration (e.g. 7 days) so the table does not grow forever.",
		"Run authdoctor again: the next failure will be named by its event.",
	),
	Console: `Realm settings > Events > User events settings > Save events (and Event types)`,
	Command: `kcadm.sh update events/config -r tenant-<id> -s eventsEnabled=true -s eventsExpiration=604800 -s 'enabledEventTypes=["LOGIN_ERROR","CLIENT_LOGIN_ERROR","REFRESH_TOKEN_ERROR","LOGIN","CLIENT_LOGIN","REFRESH_TOKEN"]'`,
})
