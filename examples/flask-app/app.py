from flask import Flask, jsonify
from sqlalchemy import create_engine, text

import config

app = Flask(__name__)
app.config.from_object(config)
engine = create_engine(config.SQLALCHEMY_DATABASE_URI, pool_pre_ping=True)


@app.get("/healthz")
def healthz():
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return jsonify(status="ok")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=config.PORT, debug=config.DEBUG)
