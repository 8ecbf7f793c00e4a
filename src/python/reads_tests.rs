use expect_test::{Expect, expect};

use super::*;
use crate::testing::fixture;

/// Renders every fact extracted from one module, with ranges shown as the source they cover.
fn check(src: &str, expect: Expect) {
    let f = fixture(&format!("#- /app/settings.py\n{}", crate::testing::dedent(src)));
    let doc = f.doc("app/settings.py");
    let text = &doc.text;
    let out = extract(doc.tree().expect("parsed"), text);
    let s = |r: &Range<usize>| text[r.clone()].replace('\n', "⏎");
    let mut lines = String::new();
    for r in &out.reads {
        let name = match &r.name {
            EnvName::Literal(n) => n.clone(),
            EnvName::Unresolved => "?".into(),
        };
        let mut line =
            format!("{name} `{}` {:?} {:?} {:?}", s(&r.name_range), r.requirement, r.cast, r.kind);
        if let Some(d) = &r.default {
            line.push_str(&format!(" default={:?}`{}`", d.value, s(&d.range)));
        }
        if !r.case_sensitive {
            line.push_str(" any-case");
        }
        line.push_str(&format!(" [{}] in `{}`\n", r.api, s(&r.call_range)));
        lines.push_str(&line);
    }
    for e in &out.sets {
        let v = e.value.as_ref().map(|v| format!("{:?}", v.value)).unwrap_or("-".into());
        lines.push_str(&format!("set {:?} {:?} `{}` = {v}\n", e.kind, e.name, s(&e.name_range)));
    }
    for l in &out.dotenv_loads {
        lines.push_str(&format!("load {:?} `{}` [{}]\n", l.target, s(&l.range), l.api));
    }
    expect.assert_eq(&lines);
}

#[test]
fn os_environ() {
    check(
        r#"
        import os
        A = os.environ["A"]
        B = os.environ.get("B")
        C = os.environ.get("C", "c")
        D = os.getenv("D", default=None)
        E = int(os.getenv("E", "5"))
        if "F" in os.environ and "G" not in os.environ:
            pass
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")
        os.environ["H"] = "h"
        del os.environ["I"]
        J = os.environ[f"J_{A}"]
        K = os.getenv(name)
        L = os.getenv("L_" + x)
        M = os.environ.get("M", 3)
        "#,
        expect![[r#"
            A `A` Required Str Value [os.environ[]] in `os.environ["A"]`
            B `B` Optional Str Value [os.getenv] in `os.environ.get("B")`
            C `C` Optional Str Value default=Str("c")`"c"` [os.getenv] in `os.environ.get("C", "c")`
            D `D` Optional Str Value default=None`None` [os.getenv] in `os.getenv("D", default=None)`
            E `E` Optional Int Value default=Str("5")`"5"` [os.getenv] in `os.getenv("E", "5")`
            F `F` Optional Str Contains [in os.environ] in `"F" in os.environ`
            G `G` Optional Str Contains [in os.environ] in `"G" not in os.environ`
            DJANGO_SETTINGS_MODULE `DJANGO_SETTINGS_MODULE` Optional Str Value default=Str("app.settings")`"app.settings"` [os.environ.setdefault] in `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")`
            ? `f"J_{A}"` Required Str Value [os.environ[]] in `os.environ[f"J_{A}"]`
            ? `name` Optional Str Value [os.getenv] in `os.getenv(name)`
            ? `"L_" + x` Optional Str Value [os.getenv] in `os.getenv("L_" + x)`
            M `M` Optional Str Value default=Literal("3")`3` [os.getenv] in `os.environ.get("M", 3)`
            set Default Literal("DJANGO_SETTINGS_MODULE") `DJANGO_SETTINGS_MODULE` = Str("app.settings")
            set Assign Literal("H") `H` = Str("h")
        "#]],
    );
}

#[test]
fn os_aliases() {
    check(
        r#"
        import os as o
        from os import environ, getenv as ge
        A = o.environ["A"]
        B = environ.get("B")
        C = ge("C")
        D = "D" in environ
        E = other.environ["E"]
        "#,
        expect![[r#"
            A `A` Required Str Value [os.environ[]] in `o.environ["A"]`
            B `B` Optional Str Value [os.getenv] in `environ.get("B")`
            C `C` Optional Str Value [os.getenv] in `ge("C")`
            D `D` Optional Str Contains [in os.environ] in `"D" in environ`
        "#]],
    );
}

#[test]
fn django_environ() {
    check(
        r#"
        import environ
        env = environ.Env(DEBUG=(bool, False), HOSTS=(list, []), KEY=(str,))
        environ.Env.read_env(os.path.join(BASE_DIR, ".env"))
        env.read_env()
        DEBUG = env("DEBUG")
        KEY = env("KEY")
        PORT = env("PORT", int, default=8000)
        HOSTS = env.list("HOSTS")
        SECRET = env.str("SECRET")
        DATABASES = {"default": env.db("DATABASE_URL", default="sqlite:///db.sqlite3")}
        CACHES = {"default": env.cache_url("CACHE_URL")}
        EMAIL = env.email_url("EMAIL_URL", "smtp://")
        TIMEOUT = env.float("TIMEOUT", default=1.5)
        X = env.json("X")
        "#,
        expect![[r#"
            DEBUG `DEBUG` Optional Bool Value default=Literal("False")`False` [django-environ env()] in `env("DEBUG")`
            KEY `KEY` Required Str Value [django-environ env()] in `env("KEY")`
            PORT `PORT` Optional Int Value default=Literal("8000")`8000` [django-environ env()] in `env("PORT", int, default=8000)`
            HOSTS `HOSTS` Optional List Value default=Literal("[]")`[]` [django-environ env.list] in `env.list("HOSTS")`
            SECRET `SECRET` Required Str Value [django-environ env.str] in `env.str("SECRET")`
            DATABASE_URL `DATABASE_URL` Optional DbUrl Value default=Str("sqlite:///db.sqlite3")`"sqlite:///db.sqlite3"` [django-environ env.db] in `env.db("DATABASE_URL", default="sqlite:///db.sqlite3")`
            CACHE_URL `CACHE_URL` Required CacheUrl Value [django-environ env.cache_url] in `env.cache_url("CACHE_URL")`
            EMAIL_URL `EMAIL_URL` Optional EmailUrl Value default=Str("smtp://")`"smtp://"` [django-environ env.email_url] in `env.email_url("EMAIL_URL", "smtp://")`
            TIMEOUT `TIMEOUT` Optional Float Value default=Literal("1.5")`1.5` [django-environ env.float] in `env.float("TIMEOUT", default=1.5)`
            X `X` Required Json Value [django-environ env.json] in `env.json("X")`
            load Joined { file_name: ".env" } `os.path.join(BASE_DIR, ".env")` [django-environ read_env]
            load Default { search_parents: false } `env.read_env()` [django-environ read_env]
        "#]],
    );
}

#[test]
fn django_environ_from_star_import() {
    check(
        r#"
        from .base import *
        DEBUG = env.bool("DEBUG", default=False)
        "#,
        expect![[r#"
            DEBUG `DEBUG` Optional Bool Value default=Literal("False")`False` [django-environ env.bool] in `env.bool("DEBUG", default=False)`
        "#]],
    );
}

#[test]
fn decouple() {
    check(
        r#"
        from decouple import config, Csv, Choices
        DEBUG = config("DEBUG", default=False, cast=bool)
        SECRET_KEY = config("SECRET_KEY")
        HOSTS = config("ALLOWED_HOSTS", cast=Csv())
        LEVEL = config("LEVEL", default="info", cast=Choices(["debug", "info"]))
        PORT = config("PORT", cast=int)
        "#,
        expect![[r#"
            DEBUG `DEBUG` Optional Bool Value default=Literal("False")`False` [decouple config()] in `config("DEBUG", default=False, cast=bool)`
            SECRET_KEY `SECRET_KEY` Required Str Value [decouple config()] in `config("SECRET_KEY")`
            ALLOWED_HOSTS `ALLOWED_HOSTS` Required Csv Value [decouple config()] in `config("ALLOWED_HOSTS", cast=Csv())`
            LEVEL `LEVEL` Optional Choices(["debug", "info"]) Value default=Str("info")`"info"` [decouple config()] in `config("LEVEL", default="info", cast=Choices(["debug", "info"]))`
            PORT `PORT` Required Int Value [decouple config()] in `config("PORT", cast=int)`
        "#]],
    );
}

#[test]
fn decouple_autoconfig() {
    check(
        r#"
        from decouple import AutoConfig
        config = AutoConfig(search_path=BASE_DIR)
        A = config("A", cast=float)
        "#,
        expect![[r#"
            A `A` Required Float Value [decouple config()] in `config("A", cast=float)`
        "#]],
    );
}

#[test]
fn environs() {
    check(
        r#"
        from environs import Env
        env = Env()
        env.read_env()
        DEBUG = env.bool("DEBUG", False)
        NAME = env("NAME", "x")
        DB = env.dj_db_url("DATABASE_URL")
        with env.prefixed("APP_"):
            HOST = env.str("HOST")
            with env.prefixed("DB_"):
                PORT = env.int("PORT", 5432)
        LATER = env.list("LATER")
        "#,
        expect![[r#"
            DEBUG `DEBUG` Optional Bool Value default=Literal("False")`False` [environs env.bool] in `env.bool("DEBUG", False)`
            NAME `NAME` Optional Str Value default=Str("x")`"x"` [environs env()] in `env("NAME", "x")`
            DATABASE_URL `DATABASE_URL` Required DbUrl Value [environs env.dj_db_url] in `env.dj_db_url("DATABASE_URL")`
            APP_HOST `HOST` Required Str Value [environs env.str] in `env.str("HOST")`
            APP_DB_PORT `PORT` Optional Int Value default=Literal("5432")`5432` [environs env.int] in `env.int("PORT", 5432)`
            LATER `LATER` Required List Value [environs env.list] in `env.list("LATER")`
            load Default { search_parents: true } `env.read_env()` [environs read_env]
        "#]],
    );
}

#[test]
fn pydantic_settings() {
    check(
        r#"
        from typing import Literal, Optional
        from pydantic import Field, AliasChoices, PostgresDsn
        from pydantic_settings import BaseSettings, SettingsConfigDict

        class Settings(BaseSettings):
            model_config = SettingsConfigDict(env_prefix="APP_", env_file=".env")
            debug: bool = False
            database_url: PostgresDsn
            port: int = Field(8000)
            hosts: list[str] = []
            mode: Literal["dev", "prod"] = "dev"
            token: Optional[str] = None
            api_key: str = Field(..., alias="SERVICE_API_KEY")
            redis: str = Field(validation_alias=AliasChoices("REDIS_URL", "CACHE_URL"))
            _private: int = 0

        class Strict(BaseSettings):
            class Config:
                env_prefix = "S_"
                case_sensitive = True
            Name: str

        class Plain:
            x: int
        "#,
        expect![[r#"
            APP_DEBUG `debug` Optional Bool Value default=Literal("False")`False` any-case [pydantic-settings] in `debug: bool = False`
            APP_DATABASE_URL `database_url` Required DbUrl Value any-case [pydantic-settings] in `database_url: PostgresDsn`
            APP_PORT `port` Optional Int Value default=Literal("8000")`8000` any-case [pydantic-settings] in `port: int = Field(8000)`
            APP_HOSTS `hosts` Optional List Value default=Literal("[]")`[]` any-case [pydantic-settings] in `hosts: list[str] = []`
            APP_MODE `mode` Optional Choices(["dev", "prod"]) Value default=Str("dev")`"dev"` any-case [pydantic-settings] in `mode: Literal["dev", "prod"] = "dev"`
            APP_TOKEN `token` Optional Str Value default=None`None` any-case [pydantic-settings] in `token: Optional[str] = None`
            SERVICE_API_KEY `SERVICE_API_KEY` Required Str Value any-case [pydantic-settings] in `api_key: str = Field(..., alias="SERVICE_API_KEY")`
            REDIS_URL `REDIS_URL` Required Str Value any-case [pydantic-settings] in `redis: str = Field(validation_alias=AliasChoices("REDIS_URL", "CACHE_URL"))`
            CACHE_URL `CACHE_URL` Optional Str Value any-case [pydantic-settings] in `redis: str = Field(validation_alias=AliasChoices("REDIS_URL", "CACHE_URL"))`
            S_Name `Name` Required Str Value [pydantic-settings] in `Name: str`
            load Literal(".env") `".env"` [pydantic-settings env_file]
        "#]],
    );
}

#[test]
fn dj_database_url() {
    check(
        r#"
        import dj_database_url
        import os
        A = dj_database_url.config()
        B = dj_database_url.config(env="PRIMARY_DB", conn_max_age=600)
        C = dj_database_url.config(default="sqlite:///x")
        D = dj_database_url.parse(os.environ["REPLICA_URL"])
        "#,
        expect![[r#"
            DATABASE_URL `dj_database_url.config()` RuntimeRequired DbUrl Value [dj_database_url.config] in `dj_database_url.config()`
            PRIMARY_DB `PRIMARY_DB` RuntimeRequired DbUrl Value [dj_database_url.config] in `dj_database_url.config(env="PRIMARY_DB", conn_max_age=600)`
            DATABASE_URL `dj_database_url.config(default="sqlite:///x")` Optional DbUrl Value default=Str("sqlite:///x")`"sqlite:///x"` [dj_database_url.config] in `dj_database_url.config(default="sqlite:///x")`
            REPLICA_URL `REPLICA_URL` Required DbUrl Value [os.environ[]] in `os.environ["REPLICA_URL"]`
        "#]],
    );
}

#[test]
fn flask() {
    check(
        r#"
        app = Flask(__name__)
        app.config.from_prefixed_env()
        app.config.from_prefixed_env(prefix="MYAPP")
        app.config.from_envvar("APP_SETTINGS")
        app.config.from_envvar("OPTIONAL_SETTINGS", silent=True)
        "#,
        expect![[r#"
            FLASK_ `app.config.from_prefixed_env()` Optional Str Prefix [flask from_prefixed_env] in `app.config.from_prefixed_env()`
            MYAPP_ `MYAPP` Optional Str Prefix [flask from_prefixed_env] in `app.config.from_prefixed_env(prefix="MYAPP")`
            APP_SETTINGS `APP_SETTINGS` Required Path Value [flask from_envvar] in `app.config.from_envvar("APP_SETTINGS")`
            OPTIONAL_SETTINGS `OPTIONAL_SETTINGS` Optional Path Value [flask from_envvar] in `app.config.from_envvar("OPTIONAL_SETTINGS", silent=True)`
        "#]],
    );
}

#[test]
fn python_dotenv() {
    check(
        r#"
        from dotenv import load_dotenv
        load_dotenv()
        load_dotenv(BASE_DIR / ".env.local")
        load_dotenv(".env.test")
        "#,
        expect![[r#"
            load Default { search_parents: true } `load_dotenv()` [python-dotenv load_dotenv]
            load Joined { file_name: ".env.local" } `BASE_DIR / ".env.local"` [python-dotenv load_dotenv]
            load Literal(".env.test") `".env.test"` [python-dotenv load_dotenv]
        "#]],
    );
}

#[test]
fn broken_code_does_not_panic() {
    check(
        r#"
        import os
        A = os.environ["A"
        B = os.getenv(
        def f(:
            C = os.getenv("C")
        "é" in os.environ
        "#,
        expect![[r#"
            C `C` Optional Str Value [os.getenv] in `os.getenv("C")`
            é `é` Optional Str Contains [in os.environ] in `"é" in os.environ`
        "#]],
    );
}

mod robustness {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics(text in r#"(?s)(import os|os\.environ|\.get|getenv|env|\(|\)|\[|\]|"X"|'Y'|f"\{a\}"|, |=|\n|    |class S\(BaseSettings\):|with env\.prefixed\("A_"\):|é){0,40}"#) {
            let tree = crate::workspace::document::parse(crate::workspace::FileKind::Python, &text, None).unwrap();
            let out = super::extract(&tree, &text);
            for r in &out.reads {
                prop_assert!(text.get(r.name_range.clone()).is_some());
                prop_assert!(text.get(r.call_range.clone()).is_some());
            }
        }
    }
}
