package selection_test

import (
	"fmt"

	selection "github.com/chatgate/chatgate/select"
)

func ExampleSelection_Project() {
	sel, err := selection.Parse([]string{"ChatSessionId,User/FullName"}, 256)
	if err != nil {
		panic(err)
	}
	out, err := sel.Project(nil, []byte(`{"ChatSessionId":157,"Status":"InQueue","User":{"Name":"TJE0","FullName":"Tom Jensen"}}`))
	fmt.Println(string(out), err)
	// Output: {"ChatSessionId":157,"Status":null,"User":{"Name":null,"FullName":"Tom Jensen"}} <nil>
}

func ExampleParse() {
	_, err := selection.Parse([]string{"a//b"}, 256)
	fmt.Println(err)
	// Output: a $select path has an empty name
}
