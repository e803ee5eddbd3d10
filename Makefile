# Builds the functions for `sam build` (BuildMethod: makefile). SAM runs each target in its own copy of this
# folder with ARTIFACTS_DIR set; the shaded jar goes to lib/, where the Java runtime loads jars from.
MVN := scripts/jdk21 ./mvnw -B -q -DskipTests

.PHONY: build-MonitorFunction build-ApprovalFunction build-ExecutionFunction template

build-MonitorFunction:
	$(MVN) -pl monitor-lambda -am package
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp monitor-lambda/target/monitor-lambda.jar "$(ARTIFACTS_DIR)/lib/"

build-ApprovalFunction:
	$(MVN) -pl approval-lambda -am package
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp approval-lambda/target/approval-lambda.jar "$(ARTIFACTS_DIR)/lib/"

build-ExecutionFunction:
	$(MVN) -pl execution-lambda -am package
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp execution-lambda/target/execution-lambda.jar "$(ARTIFACTS_DIR)/lib/"

# Regenerates template.yaml (from deploy/template.*.yaml and the Bedrock function schemas) and probe-region.yaml.
template:
	python3 deploy/generate-template.py
