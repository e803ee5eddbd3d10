#!/usr/bin/env python3
"""Turns template.yaml into plain CloudFormation with aws-sam-translator, as `sam deploy` has AWS do.

One output per environment of samconfig.toml (with that environment's parameter_overrides) and per
extra case given with --case NAME="Key=Value Key=Value" (on top of the template's defaults):
    python3 deploy/sam-translate.py --out target/sam [--case agent="BedrockAgentMode=create"]
writes OUT/NAME.json (the CloudFormation template) and OUT/parameters/NAME.json (the parameter
values the case sets). Exits non-zero, naming the case and SAM's reasons, if any case does not translate.
"""
import argparse
import json
import os
import pathlib
import shlex
import sys
import tomllib

os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
from samtranslator.model.exceptions import InvalidDocumentException  # noqa: E402
from samtranslator.translator.transform import transform  # noqa: E402
from samtranslator.yaml_helper import yaml_parse  # noqa: E402

root = pathlib.Path(__file__).resolve().parent.parent
PSEUDO = {"AWS::Region": "eu-west-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws"}


class NoManagedPolicies:
    """The template names no AWS managed policies by name, so SAM needs no lookup of their ARNs."""

    def load(self):
        return {}


def cases(config, extra):
    out = {}
    for env, sections in config.items():
        deploy = sections.get("deploy", {}) if isinstance(sections, dict) else {}
        if "parameters" in deploy:
            out[env] = deploy["parameters"].get("parameter_overrides", "")
    for case in extra:
        name, _, overrides = case.partition("=")
        out[name] = overrides
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", default=str(root / "template.yaml"))
    parser.add_argument("--config", default=str(root / "samconfig.toml"))
    parser.add_argument("--out", required=True)
    parser.add_argument("--case", action="append", default=[], metavar='NAME="Key=Value ..."')
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    (out / "parameters").mkdir(parents=True, exist_ok=True)
    template = yaml_parse(pathlib.Path(args.template).read_text())
    # What `sam build`/`sam package` do first: local code folders become S3 locations.
    for resource in template["Resources"].values():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = "s3://cloudops-agent-artifacts/code.zip"
        if resource.get("Type") == "AWS::Serverless::StateMachine" and "DefinitionUri" in resource["Properties"]:
            local = resource["Properties"]["DefinitionUri"]
            if not (root / local).is_file():
                sys.exit(f"DefinitionUri {local} is not a file of the repository")
            resource["Properties"]["DefinitionUri"] = "s3://cloudops-agent-artifacts/" + local
    with open(args.config, "rb") as f:
        config = tomllib.load(f)
    failed = []
    for name, overrides in cases(config, args.case).items():
        parameters = dict(p.split("=", 1) for p in shlex.split(overrides))
        try:
            translated = transform(json.loads(json.dumps(template)), {**parameters, **PSEUDO}, NoManagedPolicies())
        except InvalidDocumentException as e:
            failed.append(f"{name}: " + "; ".join(str(cause) for cause in e.causes))
            continue
        except Exception as e:  # the translator's other errors name the problem in their message
            failed.append(f"{name}: {e}")
            continue
        (out / f"{name}.json").write_text(json.dumps(translated, indent=1, default=str))
        (out / "parameters" / f"{name}.json").write_text(json.dumps(parameters, indent=1))
        print(f"{name}: {len(translated['Resources'])} resources")
    if failed:
        print("SAM could not translate:\n  " + "\n  ".join(failed), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
