; Every way a Python module reads the environment, as data.
;
; Captures
;   @read    the whole expression (the "call range")
;   @callee  an expression that must resolve (through imports and `x = Lib()` assignments) to
;            one of the qualified names in the `callee` property (`|`-separated)
;   @method  the attribute name of a typed reader (`env.bool`); `{method}` in `api` and
;            `cast "@method"` use its text
;   @args    the argument list, read with the *-arg / *-kw properties below
;   @name    the env name expression when it is not an argument (subscripts, `in`)
;   @inner   for `kind "cast-wrapper"`: the wrapped read (`int(os.environ["X"])`)
;   @scope   for `kind "prefix-scope"`: the statement whose body gets the prefix
;
; Properties (#set!)
;   kind         read (default) | contains | setdefault | prefix | read-env | cast-wrapper |
;                prefix-scope
;   api          a label for the reading function, shown to users
;   requirement  required | optional | runtime — what happens when the variable is unset and no
;                default is given (a default always makes a read optional)
;   name-arg / name-kw / name-default    where the env name is (position, keyword, fallback)
;   default-arg / default-kw             where the default is
;   cast         a fixed cast (`bool`, `db_url`, …) or `@method`
;   cast-arg / cast-kw                   where a cast expression is (`cast=bool`)
;   optional-kw  a keyword that makes the read optional when passed `True` (`silent=True`)
;   path-arg / path-kw / search          read-env: the file argument and, without it, where the
;                library looks (`dir`: the module's directory, `up`: it and its parents)
;   name-suffix  appended to a prefix read's name (`FLASK` → `FLASK_`)
;
; The first pattern that matches an expression wins, so specific patterns come first.

; ---------------------------------------------------------------- os
; os.environ["X"]
((subscript value: (_) @callee subscript: (_) @name) @read
  (#set! callee "os.environ")
  (#set! api "os.environ[]")
  (#set! requirement "required"))

; os.environ.get("X", default) / os.getenv("X", default)
((call function: (_) @callee arguments: (argument_list) @args) @read
  (#set! callee "os.environ.get|os.getenv")
  (#set! api "os.getenv")
  (#set! requirement "optional")
  (#set! name-arg "0") (#set! name-kw "key")
  (#set! default-arg "1") (#set! default-kw "default"))

; os.environ.setdefault("X", value): reads X and sets it when unset
((call function: (_) @callee arguments: (argument_list) @args) @read
  (#set! callee "os.environ.setdefault")
  (#set! kind "setdefault")
  (#set! api "os.environ.setdefault")
  (#set! requirement "optional")
  (#set! name-arg "0") (#set! name-kw "key")
  (#set! default-arg "1") (#set! default-kw "default"))

; "X" in os.environ / "X" not in os.environ
((comparison_operator (_) @name "in" (_) @callee) @read
  (#set! callee "os.environ")
  (#set! kind "contains")
  (#set! api "in os.environ")
  (#set! requirement "optional"))
((comparison_operator (_) @name "not in" (_) @callee) @read
  (#set! callee "os.environ")
  (#set! kind "contains")
  (#set! api "in os.environ")
  (#set! requirement "optional"))

; ---------------------------------------------------------------- django-environ
; env.read_env(path) / environ.Env.read_env(path): loads `.env` next to the calling module
((call function: (_) @callee arguments: (argument_list) @args) @read
  (#set! callee "environ.Env.read_env|environ.Env().read_env|environ.FileAwareEnv().read_env")
  (#set! kind "read-env")
  (#set! api "django-environ read_env")
  (#set! path-arg "0") (#set! path-kw "env_file")
  (#set! search "dir"))

; env.bool("DEBUG", False): typed readers take the default second
((call
   function: (attribute object: (_) @callee attribute: (identifier) @method)
   arguments: (argument_list) @args) @read
  (#any-of? @method "str" "bool" "int" "float" "list" "tuple" "dict" "json" "url" "db_url"
    "db" "cache_url" "cache" "email_url" "email" "search_url" "path")
  (#set! callee "environ.Env()|environ.FileAwareEnv()")
  (#set! api "django-environ env.{method}")
  (#set! requirement "required")
  (#set! cast "@method")
  (#set! name-arg "0") (#set! name-kw "var")
  (#set! default-arg "1") (#set! default-kw "default"))

; env("X", cast, default=…): the second positional argument is the cast
((call function: (_) @callee arguments: (argument_list) @args) @read
  (#set! callee "environ.Env()|environ.FileAwareEnv()")
  (#set! api "django-environ env()")
  (#set! requirement "required")
  (#set! name-arg "0") (#set! name-kw "var")
  (#set! cast-arg "1") (#set! cast-kw "cast")
  (#set! default-kw "default"))

; ---------------------------------------------------------------- environs
((call function: (_) @callee arguments: (argument_list) @args) @read
  (#set! callee "environs.Env().read_env")
  (#set! kind "read-env")
  (#set! api "environs read_env")
  (#set! path-arg "0") (#set! path-kw "path")
  (#set! search "up"))

; with env.prefixed("APP_"): names read inside get the prefix
((with_statement
   (with_clause
     (with_item
       value: (call
         function: (attribute object: (_) @callee attribute: (identifier) @_m)
         arguments: (argument_list) @args)))) @scope @read
  (#eq? @_m "prefixed")
  (#set! callee "environs.Env()")
  (#set! kind "prefix-scope")
  (#set! api "environs")
  (#set! name-arg "0") (#set! name-kw "prefix"))

((call
   function: (attribute object: (_) @callee attribute: (identifier) @method)
   arguments: (argument_list) @args) @read
  (#any-of? @method "str" "bool" "int" "float" "decimal" "list" "dict" "json" "url" "path"
    "dj_db_url" "dj_cache_url" "dj_email_url" "datetime" "date" "time" "timedelta" "uuid"
    "log_level" "enum")
  (#set! callee "environs.Env()")
  (#set! api "environs env.{method}")
  (#set! requirement "required")
  (#set! cast "@method")
  (#set! name-arg "0") (#set! name-kw "name")
  (#set! default-arg "1") (#set! default-kw "default"))

; env("X", default): like env.str
((call function: (_) @callee arguments: (argument_list) @args) @read
  (#set! callee "environs.Env()")
  (#set! api "environs env()")
  (#set! requirement "required")
  (#set! cast "str")
  (#set! name-arg "0") (#set! name-kw "name")
  (#set! default-arg "1") (#set! default-kw "default"))

; ---------------------------------------------------------------- python-decouple
; config("X", default=…, cast=bool)
((call function: (_) @callee arguments: (argument_list) @args) @read
  (#set! callee "decouple.config|decouple.AutoConfig()|decouple.Config()")
  (#set! api "decouple config()")
  (#set! requirement "required")
  (#set! name-arg "0") (#set! name-kw "option")
  (#set! default-kw "default")
  (#set! cast-kw "cast"))

; ---------------------------------------------------------------- python-dotenv
((call function: (_) @callee arguments: (argument_list) @args) @read
  (#set! callee "dotenv.load_dotenv|dotenv.dotenv_values|dotenv.main.load_dotenv")
  (#set! kind "read-env")
  (#set! api "python-dotenv load_dotenv")
  (#set! path-arg "0") (#set! path-kw "dotenv_path")
  (#set! search "up"))

; ---------------------------------------------------------------- dj-database-url
; dj_database_url.config(): reads DATABASE_URL; unset gives an empty config, no error
((call function: (_) @callee arguments: (argument_list) @args) @read
  (#set! callee "dj_database_url.config")
  (#set! api "dj_database_url.config")
  (#set! requirement "runtime")
  (#set! cast "db_url")
  (#set! name-kw "env") (#set! name-default "DATABASE_URL")
  (#set! default-kw "default"))

; dj_database_url.parse(os.environ["X"]): the inner read is a database URL
((call function: (_) @callee arguments: (argument_list . (_) @inner)) @read
  (#set! callee "dj_database_url.parse")
  (#set! kind "cast-wrapper")
  (#set! cast "db_url"))

; int(os.environ.get("PORT", "8000")) and friends
((call function: (_) @callee arguments: (argument_list . (_) @inner .)) @read
  (#set! callee "int")
  (#set! kind "cast-wrapper")
  (#set! cast "int"))
((call function: (_) @callee arguments: (argument_list . (_) @inner .)) @read
  (#set! callee "float")
  (#set! kind "cast-wrapper")
  (#set! cast "float"))
((call function: (_) @callee arguments: (argument_list . (_) @inner .)) @read
  (#set! callee "bool")
  (#set! kind "cast-wrapper")
  (#set! cast "bool"))
((call function: (_) @callee arguments: (argument_list . (_) @inner .)) @read
  (#set! callee "json.loads")
  (#set! kind "cast-wrapper")
  (#set! cast "json"))

; ---------------------------------------------------------------- Flask
; app.config.from_prefixed_env(): every FLASK_* variable
((call
   function: (attribute object: (attribute attribute: (identifier) @_c) attribute: (identifier) @_m)
   arguments: (argument_list) @args) @read
  (#eq? @_c "config") (#eq? @_m "from_prefixed_env")
  (#set! kind "prefix")
  (#set! api "flask from_prefixed_env")
  (#set! requirement "optional")
  (#set! name-arg "0") (#set! name-kw "prefix") (#set! name-default "FLASK")
  (#set! name-suffix "_"))

; app.config.from_envvar("X"): X names a config file; raises when unset unless silent=True
((call
   function: (attribute object: (attribute attribute: (identifier) @_c) attribute: (identifier) @_m)
   arguments: (argument_list) @args) @read
  (#eq? @_c "config") (#eq? @_m "from_envvar")
  (#set! api "flask from_envvar")
  (#set! requirement "required")
  (#set! cast "path")
  (#set! name-arg "0") (#set! name-kw "variable_name")
  (#set! optional-kw "silent"))
