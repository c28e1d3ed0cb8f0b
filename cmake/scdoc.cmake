# Runs scdoc with INPUT on stdin and OUTPUT as stdout (add_custom_command has no redirection).
execute_process(COMMAND ${SCDOC} INPUT_FILE ${INPUT} OUTPUT_FILE ${OUTPUT} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  file(REMOVE ${OUTPUT})
  message(FATAL_ERROR "scdoc failed on ${INPUT}")
endif()
